"""Handing a conversation to a person: the queue of conversations waiting for staff, who holds
which, the messages exchanged meanwhile, and the office's working hours."""

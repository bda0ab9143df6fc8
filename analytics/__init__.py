"""Analytics for staff and officials: what citizens asked, what was answered, rated wrong or
left unanswered, and how long handoffs waited — read from the stored conversations (Rasa's
tracker store) and the domains' own tables, over a range of local dates."""

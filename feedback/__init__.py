"""Citizens' ratings of the assistant's answers ("Hữu ích" / "Chưa đúng"), for staff to see
which cards and procedures mislead people."""

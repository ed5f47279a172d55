"""How answers are written: wording (agencies, grades, changes, years), plain text for a
terminal, announcements, and charts."""

"""The evaluation's own words and rules, written down once: grade scales per year and their
names, grading groups and agency types, the five items, regions, how a grade moves, and the
text forms names are compared in. Pure values and functions; imports nothing of ours, so
every floor (bot, handlers, answers, storage, scoring) says "광역" or "▲2" the same way."""

# Finnish writes "klo" between a date and a time: "3.12.2026 klo 14.05" (Django's own
# DATETIME_FORMAT already says "kello"; its short form leaves the word out).
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"

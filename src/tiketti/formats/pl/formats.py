# Polish writes dates with dots, "03.12.2026 14:05". Django's own short formats are
# "03-12-2026" and "03-12-2026  14:05" (with a double space), which look broken.
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"

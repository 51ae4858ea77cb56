"""Date formats where Django's own for a language do not read naturally (FORMAT_MODULE_PATH).

A module here overrides only the names it defines; everything else (month names, decimal
separator, input formats) still comes from Django's locale for that language.
"""

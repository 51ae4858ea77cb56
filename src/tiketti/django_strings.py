"""Django's own strings that its Finnish or Polish catalogue does not translate yet.

Django 6.1 shows "- Select an option -" for every empty choice (admin included), and a
few of its validation messages have no Finnish or Polish yet. Marked here, they are in
Tiketti's catalogues, which come before Django's (LOCALE_PATHS), so a Finnish or Polish
user never meets them in English. Nothing imports this module: `make makemessages`
reads it. When Django's catalogues catch up, delete the lines.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
)

# A plural message, marked the same way (lazy: nothing is translated at import).
DJANGO_PLURALS = (
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
)

import pytest
from django import forms
from django.utils import translation

from tiketti.django_strings import DJANGO_STRINGS


@pytest.mark.parametrize("language", ["fi", "pl"])
def test_djangos_strings_without_finnish_or_polish_are_translated_by_tiketti(language):
    with translation.override(language):
        for message in DJANGO_STRINGS:
            assert translation.gettext(message) != message
        field = forms.DecimalField(decimal_places=2)
        with pytest.raises(forms.ValidationError) as error:
            field.clean("1.234")
        message = error.value.messages[0]  # lazy: read in the language
    assert "Ensure that there are no more" not in message and "2" in message

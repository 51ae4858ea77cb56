import factory

from tiketti.tickets.models import Category


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_en = "Error report"
    name_fi = "Virheilmoitus"
    name_pl = "Zgłoszenie błędu"

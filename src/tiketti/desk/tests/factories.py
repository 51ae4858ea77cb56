import factory

from tiketti.desk.models import Macro, SavedView


class SavedViewFactory(factory.django.DjangoModelFactory):
    """A shared view (no owner) unless `owner` is given."""

    class Meta:
        model = SavedView

    name = factory.Sequence(lambda n: f"View {n}")
    filters = factory.LazyFunction(lambda: {"priority": "high"})


class MacroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Macro
        skip_postgeneration_save = True

    name = "Password reset"
    name_translations = factory.LazyFunction(lambda: {"fi": "Salasanan vaihto"})
    body_en = "Hello {requester_name}, see {articles} ({ticket_number}). {agent_name}"
    body_fi = "Hei {requester_name}, katso {articles} ({ticket_number}). {agent_name}"
    body_pl = (
        "Dzień dobry {requester_name}, proszę zobaczyć {articles} ({ticket_number}). {agent_name}"
    )

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        if create and extracted:
            self.articles.set(extracted)

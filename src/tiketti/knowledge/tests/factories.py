import factory

from tiketti.knowledge.models import Article, ArticleTranslation, Section


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"product-{n}")
    name_en = "Web shop"
    name_fi = "Verkkokauppa"
    name_pl = "Sklep internetowy"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published public article; pass `texts={"fi": (title, body), ...}` for its
    translations (default: one English one)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    slug = factory.Sequence(lambda n: f"article-{n}")
    status = Article.Status.PUBLISHED

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT)
        internal = factory.Trait(is_internal=True)

    @factory.post_generation
    def texts(self, create, extracted, **kwargs):
        if not create:
            return
        for language, (title, body) in (extracted or {"en": ("An article", "Text.")}).items():
            ArticleTranslation.objects.create(
                article=self, language=language, title=title, body_markdown=body
            )

import datetime

import factory

from tiketti.accounts.models import EmailDomain, Organisation, Team, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Asiakas {n} Oy")
    language = "fi"

    @factory.post_generation
    def domain(self, create, extracted, **kwargs):
        if create:
            EmailDomain.objects.create(
                organisation=self, domain=extracted or f"org{self.pk}.example"
            )

    @factory.post_generation
    def contract(self, create, extracted, **kwargs):
        """A customer has a support contract unless told otherwise (contract=False)."""
        if create and extracted is not False:
            from tiketti.contracts.models import Contract, Plan

            plan, _ = Plan.objects.get_or_create(
                name="Standard", defaults={"monthly_support_minutes": 300, "hourly_rate": 85}
            )
            Contract.objects.create(
                organisation=self, plan=plan, starts_on=datetime.date(2020, 1, 1)
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", "secret-pass")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()

    class Params:
        agent = factory.Trait(
            staff_role=User.StaffRole.AGENT,
            email=factory.Sequence(lambda n: f"agent{n}@tiketti.example"),
        )
        admin = factory.Trait(staff_role=User.StaffRole.ADMIN, is_superuser=True)


class ContactFactory(UserFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    customer_role = User.CustomerRole.USER
    email = factory.LazyAttributeSequence(
        lambda o, n: f"contact{n}@{o.organisation.domains.first().domain}"
    )

    class Params:
        main = factory.Trait(customer_role=User.CustomerRole.MAIN_USER)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")

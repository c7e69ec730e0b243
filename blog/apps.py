from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from django.urls import reverse

        from wellbeing import demo, navigation
        from wellbeing.accounts import registry

        from . import services

        # The blog is public: its entry shows to readers who are not signed in too.
        navigation.register(
            navigation.NavEntry("Blog", 40, lambda user: reverse("blog:home"), anonymous=True)
        )
        registry.invitation_accepted_hooks.append(services.advisor_invitation_fulfil)
        registry.invitation_describers.append(services.advisor_invitation_describe)
        demo.register("blog", _seed_demo_blog, after=["teams", "values"])


def _seed_demo_blog(context):
    from .demo import seed_blog

    seed_blog(context)

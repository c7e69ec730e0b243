"""RSS and Atom feeds: the whole blog, one tag, one advisor. Every link is absolute against
SITE_URL (wellbeing.links), never the host a request happened to use."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from wellbeing.links import absolute_reverse

from . import selectors
from .caching import public_page
from .models import AdvisorProfile, Post, Tag


class _PostsFeed(Feed):
    feed_type = Rss201rev2Feed
    kind = "rss"
    language = "en-gb"

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        return post.summary

    def item_link(self, post: Post) -> str:
        return absolute_reverse("blog:post", args=[post.slug])

    def item_guid(self, post: Post) -> str:
        return self.item_link(post)

    def item_pubdate(self, post: Post) -> datetime | None:
        return post.published_at

    def item_updateddate(self, post: Post) -> datetime | None:
        return post.updated_at

    def item_author_name(self, post: Post) -> str:
        return ", ".join([post.author.name] + [p.name for p in post.co_authors.all()])

    def item_author_link(self, post: Post) -> str:
        return absolute_reverse("blog:advisor", args=[post.author.slug])

    def item_categories(self, post: Post) -> list[str]:
        return [tag.name for tag in post.tags.all()]

    def feed_url(self, obj=None) -> str:
        return self._own_url(obj)

    def _own_url(self, obj) -> str:
        raise NotImplementedError


class _SiteFeed(_PostsFeed):
    def title(self) -> str:
        return f"{settings.ORGANISATION_NAME}: our advisors’ blog"

    def description(self) -> str:
        return "Posts from our advisors on values, people, improvement and co-production."

    def link(self) -> str:
        return absolute_reverse("blog:home")

    def items(self) -> list[Post]:
        return selectors.feed_posts()

    def _own_url(self, obj) -> str:
        return absolute_reverse(f"blog:feed_{self.kind}")


class SiteRss(_SiteFeed):
    pass


class SiteAtom(_SiteFeed):
    feed_type = Atom1Feed
    kind = "atom"
    subtitle = _SiteFeed.description


class _TagFeed(_PostsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag: Tag) -> str:
        return f"{settings.ORGANISATION_NAME} blog: posts tagged {tag.name}"

    def description(self, tag: Tag) -> str:
        return f"Our advisors’ posts about {tag.name}."

    def link(self, tag: Tag) -> str:
        return absolute_reverse("blog:tag", args=[tag.slug])

    def items(self, tag: Tag) -> list[Post]:
        return selectors.feed_posts(tag=tag)

    def _own_url(self, tag: Tag) -> str:
        return absolute_reverse(f"blog:tag_feed_{self.kind}", args=[tag.slug])


class TagRss(_TagFeed):
    pass


class TagAtom(_TagFeed):
    feed_type = Atom1Feed
    kind = "atom"
    subtitle = _TagFeed.description


class _AdvisorFeed(_PostsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> AdvisorProfile:
        return get_object_or_404(AdvisorProfile, slug=slug)

    def title(self, advisor: AdvisorProfile) -> str:
        return f"{settings.ORGANISATION_NAME} blog: posts by {advisor.name}"

    def description(self, advisor: AdvisorProfile) -> str:
        return f"Posts by {advisor.name}, advisor on {advisor.area}."

    def link(self, advisor: AdvisorProfile) -> str:
        return absolute_reverse("blog:advisor", args=[advisor.slug])

    def items(self, advisor: AdvisorProfile) -> list[Post]:
        return selectors.feed_posts(advisor=advisor)

    def _own_url(self, advisor: AdvisorProfile) -> str:
        return absolute_reverse(f"blog:advisor_feed_{self.kind}", args=[advisor.slug])


class AdvisorRss(_AdvisorFeed):
    pass


class AdvisorAtom(_AdvisorFeed):
    feed_type = Atom1Feed
    kind = "atom"
    subtitle = _AdvisorFeed.description


site_rss = public_page(SiteRss())
site_atom = public_page(SiteAtom())
tag_rss = public_page(TagRss())
tag_atom = public_page(TagAtom())
advisor_rss = public_page(AdvisorRss())
advisor_atom = public_page(AdvisorAtom())

"""The blog's sitemap, with addresses made against SITE_URL like every other absolute link."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors
from .models import AdvisorProfile, Post, Tag


class _OnSiteUrl(Sitemap):
    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PostSitemap(_OnSiteUrl):
    changefreq = "monthly"
    priority = 0.8
    limit = 1000

    def items(self):
        return selectors.public_posts().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, post: Post) -> datetime:
        return post.updated_at


class TagSitemap(_OnSiteUrl):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Tag.objects.filter(pk__in=selectors.tag_list().values("pk")).order_by("name")


class AdvisorSitemap(_OnSiteUrl):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return AdvisorProfile.objects.filter(pk__in=selectors.advisor_list().values("pk")).order_by(
            "name"
        )


class PagesSitemap(_OnSiteUrl):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["blog:home", "blog:advisors"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "advisors": AdvisorSitemap,
}

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds
from .caching import public_page
from .sitemaps import SITEMAPS
from .views import manage, public

app_name = "blog"

urlpatterns = [
    path("", public.home, name="home"),
    path("search/", public.search, name="search"),
    path("posts/<slug:slug>/", public.post_detail, name="post"),
    path("posts/<slug:slug>/comments/", public.comment_create, name="comment"),
    path("posts/<slug:slug>/comments/<int:pk>/reply/", public.comment_reply, name="comment_reply"),
    path("comments/confirm/<str:token>/", public.commenter_confirm, name="commenter_confirm"),
    path("tags/<slug:slug>/", public.tag_detail, name="tag"),
    path("advisors/", public.advisor_list, name="advisors"),
    path("advisors/<slug:slug>/", public.advisor_detail, name="advisor"),
    path("series/<slug:slug>/", public.series_detail, name="series"),
    path("feed/rss/", feeds.site_rss, name="feed_rss"),
    path("feed/atom/", feeds.site_atom, name="feed_atom"),
    path("tags/<slug:slug>/feed/rss/", feeds.tag_rss, name="tag_feed_rss"),
    path("tags/<slug:slug>/feed/atom/", feeds.tag_atom, name="tag_feed_atom"),
    path("advisors/<slug:slug>/feed/rss/", feeds.advisor_rss, name="advisor_feed_rss"),
    path("advisors/<slug:slug>/feed/atom/", feeds.advisor_atom, name="advisor_feed_atom"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    # Writing and moderating.
    path("manage/", manage.manage_home, name="manage"),
    path("manage/posts/new/", manage.post_new, name="post_new"),
    path("manage/posts/<int:pk>/", manage.post_edit, name="post_edit"),
    path("manage/posts/<int:pk>/delete/", manage.post_delete, name="post_delete"),
    path("manage/posts/<int:pk>/history/", manage.post_history, name="post_history"),
    path("manage/comments/", manage.moderation, name="moderation"),
    path("manage/comments/<int:pk>/", manage.moderate, name="moderate"),
    path("manage/profile/", manage.profile_edit, name="profile"),
    path("manage/advisors/", manage.advisors_manage, name="advisors_manage"),
    path("manage/advisors/<int:pk>/", manage.advisor_edit, name="advisor_edit"),
    path("manage/advisors/<int:pk>/roles/", manage.advisor_roles, name="advisor_roles"),
]

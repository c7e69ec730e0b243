"""The blog's API: published posts and tags for anyone; advisors' own posts and pictures.

Reading is public like the blog. Writing follows the web's rules exactly, because both call
the same services: an advisor changes their own (or co-written) posts, editors any. A broken
rule (`BlogError`) passes through to the one API error handler: 400 with `{"detail": ...}`.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.parsers import FormParser, MultiPartParser

from wellbeing.accounts.permissions import MFASatisfied
from wellbeing.api_fields import RecordIdField
from wellbeing.links import absolute_reverse

from . import permissions, selectors, services
from .models import (
    EXCERPT_MAX_LENGTH,
    INTRODUCTION_MAX_LENGTH,
    POST_BODY_MAX_LENGTH,
    AdvisorProfile,
    Image,
    Post,
    Series,
    Tag,
)
from .services import MAX_TAGS, TAG_MAX_LENGTH


class AdvisorBriefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = AdvisorProfile
        fields = ["name", "slug", "area", "is_guest", "url"]

    def get_url(self, advisor: AdvisorProfile) -> str:
        return absolute_reverse("blog:advisor", args=[advisor.slug])


class CoverSerializer(serializers.Serializer):
    url = serializers.CharField()
    srcset = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()


class SeriesBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Series
        fields = ["title", "slug"]


class PublicPostSerializer(serializers.ModelSerializer):
    author = AdvisorBriefSerializer(read_only=True)
    co_authors = AdvisorBriefSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    series = SeriesBriefSerializer(read_only=True, allow_null=True)
    cover = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "reading_minutes",
            "published_at",
            "updated_at",
            "author",
            "co_authors",
            "tags",
            "series",
            "series_position",
            "reader_question",
            "cover",
            "url",
        ]

    @extend_schema_field(CoverSerializer(allow_null=True))
    def get_cover(self, post: Post) -> dict | None:
        image = post.cover_image
        if image is None:
            return None
        return {
            "url": image.url,
            "srcset": image.srcset,
            "width": image.display_width,
            "height": image.display_height,
            "alt": post.cover_alt,
        }

    def get_url(self, post: Post) -> str:
        return absolute_reverse("blog:post", args=[post.slug])


class PublicPostDetailSerializer(PublicPostSerializer):
    class Meta(PublicPostSerializer.Meta):
        fields = [*PublicPostSerializer.Meta.fields, "introduction_html", "body_html"]


class _Public:
    """Open to anyone, like the blog; throttled like the rest of the API."""

    permission_classes = [drf_permissions.AllowAny]


class BlogPostViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    """Published posts, newest first. Filter with `?tag=<slug>` or `?advisor=<slug>`."""

    lookup_field = "slug"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PublicPostDetailSerializer
        return PublicPostSerializer

    def get_queryset(self):
        tag = advisor = None
        if self.action == "list":
            tag_slug = self.request.query_params.get("tag")
            advisor_slug = self.request.query_params.get("advisor")
            if tag_slug:
                tag = Tag.objects.filter(slug=tag_slug).first()
                if tag is None:
                    return Post.objects.none()
            if advisor_slug:
                advisor = AdvisorProfile.objects.filter(slug=advisor_slug).first()
                if advisor is None:
                    return Post.objects.none()
        posts = selectors.post_list(tag=tag, advisor=advisor)
        if self.action == "retrieve":
            return posts.defer(None)
        return posts


class TagSerializer(serializers.ModelSerializer):
    post_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tag
        fields = ["name", "slug", "post_count"]


class BlogTagViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    """Tags with at least one published post."""

    serializer_class = TagSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.tag_list()


class CanWrite(drf_permissions.BasePermission):
    message = "Only advisors write on the blog."

    def has_permission(self, request, view) -> bool:
        return permissions.can_write(request.user)


_WRITERS = [drf_permissions.IsAuthenticated, MFASatisfied, CanWrite]


class TagNamesField(serializers.ListField):
    """Tags written as a list of names; read back from the post's tags."""

    def to_representation(self, data) -> list[str]:
        return [tag.name for tag in data.all()]


class MyPostSerializer(serializers.ModelSerializer):
    author = RecordIdField(queryset=AdvisorProfile.objects.filter(is_active=True), required=False)
    body = serializers.CharField(max_length=POST_BODY_MAX_LENGTH)
    excerpt = serializers.CharField(
        max_length=EXCERPT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    introduction = serializers.CharField(
        max_length=INTRODUCTION_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    tags = TagNamesField(
        child=serializers.CharField(max_length=TAG_MAX_LENGTH),
        max_length=MAX_TAGS,
        required=False,
        default=list,
    )
    cover_image = RecordIdField(
        queryset=Image.objects.all(), allow_null=True, required=False, default=None
    )
    co_authors = RecordIdField(
        queryset=AdvisorProfile.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
    )
    when = serializers.ChoiceField(
        choices=["draft", "now", "schedule"],
        write_only=True,
        help_text="draft: not on the blog; now: published; schedule: at publish_at.",
    )
    publish_at = serializers.DateTimeField(write_only=True, required=False, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "slug",
            "author",
            "title",
            "body",
            "excerpt",
            "tags",
            "cover_image",
            "cover_alt",
            "series",
            "series_position",
            "introduction",
            "introduced_by",
            "reader_question",
            "co_authors",
            "comments_open",
            "status",
            "published_at",
            "when",
            "publish_at",
            "summary",
            "body_html",
            "updated_at",
            "url",
        ]
        read_only_fields = [
            "slug",
            "status",
            "published_at",
            "summary",
            "body_html",
            "updated_at",
        ]

    def get_url(self, post: Post) -> str:
        return absolute_reverse("blog:post", args=[post.slug])


_CONTENT_FIELDS = [
    "title",
    "body",
    "excerpt",
    "cover_image",
    "cover_alt",
    "series",
    "series_position",
    "introduction",
    "introduced_by",
    "reader_question",
    "comments_open",
]


class MyPostViewSet(viewsets.ModelViewSet):
    """The posts you may change: your own and those you co-wrote (every post, for editors)."""

    serializer_class = MyPostSerializer
    permission_classes = _WRITERS
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            permissions.posts_editable_by(self.request.user)
            .select_related("author", "cover_image", "series", "introduced_by")
            .prefetch_related("tags", "co_authors")
            .order_by("-updated_at", "-pk")
        )

    def _content(self, data: dict, post: Post | None) -> dict:
        content = {}
        for name in _CONTENT_FIELDS:
            if name in data:
                content[name] = data[name]
            elif post is not None:
                content[name] = getattr(post, name)
        content["tags"] = (
            data["tags"]
            if "tags" in data
            else ([tag.name for tag in post.tags.all()] if post else [])
        )
        content["co_authors"] = (
            data["co_authors"] if "co_authors" in data else (post.co_authors.all() if post else [])
        )
        return content

    def _write(self, serializer, post: Post | None) -> None:
        data = serializer.validated_data
        when = data.get("when") or {"published": "now", "scheduled": "schedule"}.get(
            post.status if post else "", "draft"
        )
        publish_at = data.get("publish_at", post.published_at if post else None)
        serializer.instance = services.post_write(
            post=post,
            by=self.request.user,
            when=when,
            publish_at=publish_at,
            author=data.get("author"),
            **self._content(data, post),
        )

    def perform_create(self, serializer):
        self._write(serializer, None)

    def perform_update(self, serializer):
        self._write(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.post_delete(post=instance, by=self.request.user)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if kwargs.get("partial"):
            serializer.fields["when"].required = False
        return serializer


class ImageSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)
    url = serializers.CharField(read_only=True)
    srcset = serializers.CharField(read_only=True)
    markdown = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = ["id", "file", "width", "height", "url", "srcset", "markdown", "created_at"]
        read_only_fields = ["width", "height", "created_at"]

    def get_markdown(self, image: Image) -> str:
        return f"![what the picture shows]({image.url})"


class BlogImageViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Pictures you uploaded. Upload one (multipart, field `file`) to use as a cover or in
    a post's text; it is checked by its content and re-encoded like on the web."""

    serializer_class = ImageSerializer
    permission_classes = _WRITERS
    parser_classes = [MultiPartParser, FormParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Image.objects.filter(uploaded_by=self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        serializer.instance = services.image_upload(
            upload=serializer.validated_data["file"], by=self.request.user
        )

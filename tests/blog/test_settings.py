"""Where pictures are kept: a local folder by default, S3-compatible object storage when a
bucket is named, with its address allowed by the Content Security Policy."""

from __future__ import annotations

from tests.wellbeing.test_settings import run_python

PRINT_STORAGE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "o = s.STORAGES['default'].get('OPTIONS', {}); "
    "print(s.STORAGES['default']['BACKEND'], s.MEDIA_URL, s.MEDIA_SERVED_BY_APP, "
    "o.get('custom_domain'), o.get('endpoint_url'), "
    "' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
)


def test_pictures_are_kept_in_a_local_folder_served_by_the_app_by_default():
    result = run_python(PRINT_STORAGE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.files.storage.FileSystemStorage",
        "/media/",
        "True",
        "None",
        "None",
        "'self'",
        "data:",
    ]


def test_a_bucket_puts_pictures_in_object_storage_at_media_url():
    result = run_python(
        PRINT_STORAGE,
        AWS_STORAGE_BUCKET_NAME="care-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.net",
        MEDIA_URL="https://media.example.org/blog-media",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "https://media.example.org/blog-media/",
        "False",
        "media.example.org/blog-media",
        "https://objects.example.net",
        "'self'",
        "data:",
        "https://media.example.org",
    ]


def test_a_bucket_without_its_public_address_stops_start_up():
    result = run_python(PRINT_STORAGE, AWS_STORAGE_BUCKET_NAME="care-media")
    assert result.returncode != 0
    assert "MEDIA_URL" in result.stderr.splitlines()[-1]


def test_the_s3_storage_makes_addresses_under_media_url():
    result = run_python(
        "import django; django.setup(); "
        "from django.core.files.storage import default_storage as d; "
        "print(d.url('blog/abc/960.jpg'))",
        AWS_STORAGE_BUCKET_NAME="care-media",
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="y",
        MEDIA_URL="https://media.example.org/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://media.example.org/blog/abc/960.jpg"

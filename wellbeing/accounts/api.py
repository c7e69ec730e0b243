from __future__ import annotations

from rest_framework import generics, serializers

from .models import User


class MeSerializer(serializers.ModelSerializer):
    is_admin = serializers.BooleanField(source="is_org_admin", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "is_admin"]
        read_only_fields = ["id", "email", "is_admin"]


class MeView(generics.RetrieveAPIView):
    """The signed-in user's own account."""

    serializer_class = MeSerializer

    def get_object(self) -> User:
        return self.request.user

"""The claims the test identity provider gives about its users (settings.USERS)."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = settings.USERS[request.user.username]
        return {
            "name": user["name"],
            "preferred_username": user["username"],
            "email": user["email"],
            "email_verified": user["email_verified"],
        }

"""Asks Messenger Vault for a Messenger token for one of your users (Python 3.8+, standard library only).

Run: MESSENGER_VAULT_API_KEY=... python3 token.py 42 jane@example.com
"""
import json
import os
import sys
import urllib.error
import urllib.request

VAULT_URL = os.environ.get("MESSENGER_VAULT_URL", "https://vault.example.com")
API_KEY = os.environ["MESSENGER_VAULT_API_KEY"]  # keep it on the server, never in a browser or app


class MessengerVaultError(Exception):
    pass


def messenger_token(user_id, email=None):
    body = {"user_id": user_id, "platform": "web"}
    if email:
        body["email"] = email
    request = urllib.request.Request(
        f"{VAULT_URL}/v1/intercom/token",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            # JWT mode: {token, expires_at, app_id}; HMAC mode: {user_hash, app_id}
            return json.load(response)
    except urllib.error.HTTPError as error:
        # Errors are {statusCode, error, code, message}; retry 429 after Retry-After and 5xx, not other 4xx.
        try:
            problem = json.load(error)
        except ValueError:
            problem = {}
        raise MessengerVaultError(
            f"Messenger Vault answered {error.code} {problem.get('code')}: {problem.get('message')}"
        ) from None


if __name__ == "__main__":
    # Take the user from your own session, never from the browser. Here: the command line.
    args = sys.argv[1:]
    try:
        print(json.dumps(messenger_token(args[0] if args else "42", args[1] if len(args) > 1 else None)))
    except MessengerVaultError as error:
        sys.exit(str(error))

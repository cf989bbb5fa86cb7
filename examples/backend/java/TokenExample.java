// Asks Messenger Vault for a Messenger token for one of your users (Java 11+, JDK only).
// Run: MESSENGER_VAULT_API_KEY=... java TokenExample.java 42 jane@example.com
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class TokenExample {
    static final String VAULT_URL =
            Objects.requireNonNullElse(System.getenv("MESSENGER_VAULT_URL"), "https://vault.example.com");
    // Keep it on the server, never in a browser or app.
    static final String API_KEY = System.getenv("MESSENGER_VAULT_API_KEY");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static class MessengerVaultException extends Exception {
        MessengerVaultException(String message) {
            super(message);
        }
    }

    /** The answer's JSON: JWT mode {token, expires_at, app_id}; HMAC mode {user_hash, app_id}. Parse it with your JSON library. */
    static String messengerToken(String userId, String email)
            throws IOException, InterruptedException, MessengerVaultException {
        String body = "{\"user_id\":" + json(userId)
                + (email == null ? "" : ",\"email\":" + json(email))
                + ",\"platform\":\"web\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(VAULT_URL + "/v1/intercom/token"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            // Errors are {statusCode, error, code, message}; retry 429 after Retry-After and 5xx, not other 4xx.
            throw new MessengerVaultException("Messenger Vault answered " + response.statusCode() + " "
                    + field(response.body(), "code") + ": " + field(response.body(), "message"));
        }
        return response.body();
    }

    /** A JSON string literal; with Jackson or Gson in your project, let it build the body instead. */
    static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    /** One string field of a flat JSON object, enough to report an error without a JSON library. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    public static void main(String[] args) throws Exception {
        // Take the user from your own session, never from the browser. Here: the command line.
        String userId = args.length > 0 ? args[0] : "42";
        String email = args.length > 1 ? args[1] : null;
        try {
            System.out.println(messengerToken(userId, email));
        } catch (MessengerVaultException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}

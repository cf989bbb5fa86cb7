// Asks Messenger Vault for a Messenger token for one of your users (.NET 8+, no NuGet packages).
// Run: MESSENGER_VAULT_API_KEY=... dotnet run -- 42 jane@example.com
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

var vaultUrl = Environment.GetEnvironmentVariable("MESSENGER_VAULT_URL") ?? "https://vault.example.com";
// Keep it on the server, never in a browser or app.
var apiKey = Environment.GetEnvironmentVariable("MESSENGER_VAULT_API_KEY");

using var http = new HttpClient { BaseAddress = new Uri(vaultUrl), Timeout = TimeSpan.FromSeconds(5) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

// Take the user from your own session, never from the browser. Here: the command line.
var userId = args.Length > 0 ? args[0] : "42";
var email = args.Length > 1 ? args[1] : null;
try
{
    var token = await MessengerToken(http, userId, email);
    Console.WriteLine(JsonSerializer.Serialize(token));
}
catch (MessengerVaultException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
return 0;

static async Task<TokenResponse> MessengerToken(HttpClient http, string userId, string? email)
{
    var response = await http.PostAsJsonAsync("/v1/intercom/token", new TokenRequest(userId, email, "web"));
    if (!response.IsSuccessStatusCode)
    {
        // Errors are {statusCode, error, code, message}; retry 429 after Retry-After and 5xx, not other 4xx.
        ApiError? error = null;
        try { error = await response.Content.ReadFromJsonAsync<ApiError>(); } catch (JsonException) { }
        throw new MessengerVaultException(
            $"Messenger Vault answered {(int)response.StatusCode} {error?.Code}: {error?.Message}");
    }
    return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
}

record TokenRequest(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonPropertyName("platform")] string Platform);

// JWT mode: token, expires_at, app_id; HMAC mode: user_hash, app_id.
record TokenResponse(
    [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token,
    [property: JsonPropertyName("expires_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExpiresAt,
    [property: JsonPropertyName("user_hash"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserHash,
    [property: JsonPropertyName("app_id")] string AppId);

record ApiError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] JsonElement Message);

class MessengerVaultException(string message) : Exception(message);

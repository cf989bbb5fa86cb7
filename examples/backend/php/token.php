<?php
// Asks Messenger Vault for a Messenger token for one of your users (PHP 8.0+, no extensions beyond the defaults).
// Run: MESSENGER_VAULT_API_KEY=... php token.php 42 jane@example.com
declare(strict_types=1);

const VAULT_URL_DEFAULT = 'https://vault.example.com';

function messenger_token(string $userId, ?string $email = null): array
{
    $vaultUrl = getenv('MESSENGER_VAULT_URL') ?: VAULT_URL_DEFAULT;
    $apiKey = getenv('MESSENGER_VAULT_API_KEY'); // keep it on the server, never in a browser or app
    $body = array_filter(['user_id' => $userId, 'email' => $email, 'platform' => 'web'], fn ($v) => $v !== null);
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Authorization: Bearer $apiKey\r\nContent-Type: application/json\r\n",
        'content' => json_encode($body),
        'timeout' => 5,
        'ignore_errors' => true, // read the error body of 4xx/5xx answers too
    ]]);
    $raw = @file_get_contents("$vaultUrl/v1/intercom/token", false, $context);
    if ($raw === false) {
        throw new RuntimeException("Messenger Vault at $vaultUrl could not be reached");
    }
    preg_match('{^HTTP/\S+ (\d{3})}', $http_response_header[0] ?? '', $m);
    $status = (int) ($m[1] ?? 0);
    $answer = json_decode($raw, true) ?? [];
    if ($status < 200 || $status >= 300) {
        // Errors are {statusCode, error, code, message}; retry 429 after Retry-After and 5xx, not other 4xx.
        throw new RuntimeException(sprintf('Messenger Vault answered %d %s: %s', $status, $answer['code'] ?? '', $answer['message'] ?? $raw));
    }
    return $answer; // JWT mode: {token, expires_at, app_id}; HMAC mode: {user_hash, app_id}
}

// Take the user from your own session, never from the browser. Here: the command line.
try {
    echo json_encode(messenger_token($argv[1] ?? '42', $argv[2] ?? null)), PHP_EOL;
} catch (RuntimeException $e) {
    fwrite(STDERR, $e->getMessage() . PHP_EOL);
    exit(1);
}

# Asks Messenger Vault for a Messenger token for one of your users (Ruby 2.7+, standard library only).
# Run: MESSENGER_VAULT_API_KEY=... ruby token.rb 42 jane@example.com
require 'json'
require 'net/http'
require 'uri'

VAULT_URL = ENV.fetch('MESSENGER_VAULT_URL', 'https://vault.example.com')
API_KEY = ENV.fetch('MESSENGER_VAULT_API_KEY') # keep it on the server, never in a browser or app

class MessengerVaultError < StandardError; end

def messenger_token(user_id, email = nil)
  uri = URI("#{VAULT_URL}/v1/intercom/token")
  body = { user_id: user_id, email: email, platform: 'web' }.compact
  response = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == 'https', open_timeout: 5, read_timeout: 5) do |http|
    http.post(uri.path, body.to_json, 'Authorization' => "Bearer #{API_KEY}", 'Content-Type' => 'application/json')
  end
  answer = JSON.parse(response.body) rescue {}
  # Errors are {statusCode, error, code, message}; retry 429 after Retry-After and 5xx, not other 4xx.
  unless response.is_a?(Net::HTTPSuccess)
    raise MessengerVaultError, "Messenger Vault answered #{response.code} #{answer['code']}: #{answer['message']}"
  end

  answer # JWT mode: {token, expires_at, app_id}; HMAC mode: {user_hash, app_id}
end

if $PROGRAM_NAME == __FILE__
  # Take the user from your own session, never from the browser. Here: the command line.
  begin
    puts JSON.generate(messenger_token(ARGV[0] || '42', ARGV[1]))
  rescue MessengerVaultError => e
    abort e.message
  end
end

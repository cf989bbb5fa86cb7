// Asks Messenger Vault for a Messenger token for one of your users (Go 1.19+, standard library only).
// Run: MESSENGER_VAULT_API_KEY=... go run main.go 42 jane@example.com
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

type tokenRequest struct {
	UserID   string `json:"user_id"`
	Email    string `json:"email,omitempty"`
	Platform string `json:"platform"`
}

// TokenResponse is JWT mode's answer; in HMAC mode only UserHash and AppID are set.
type TokenResponse struct {
	Token     string `json:"token,omitempty"`
	ExpiresAt string `json:"expires_at,omitempty"`
	UserHash  string `json:"user_hash,omitempty"`
	AppID     string `json:"app_id"`
}

// APIError is the body of every error answer: {statusCode, error, code, message}.
type APIError struct {
	Status  int    `json:"statusCode"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("Messenger Vault answered %d %s: %s", e.Status, e.Code, e.Message)
}

var client = &http.Client{Timeout: 5 * time.Second}

func messengerToken(vaultURL, apiKey, userID, email string) (*TokenResponse, error) {
	body, err := json.Marshal(tokenRequest{UserID: userID, Email: email, Platform: "web"})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, vaultURL+"/v1/intercom/token", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		// Retry 429 after Retry-After and 5xx, not other 4xx.
		apiErr := &APIError{Status: res.StatusCode}
		_ = json.NewDecoder(res.Body).Decode(apiErr)
		return nil, apiErr
	}
	var token TokenResponse
	if err := json.NewDecoder(res.Body).Decode(&token); err != nil {
		return nil, err
	}
	return &token, nil
}

func main() {
	vaultURL := os.Getenv("MESSENGER_VAULT_URL")
	if vaultURL == "" {
		vaultURL = "https://vault.example.com"
	}
	apiKey := os.Getenv("MESSENGER_VAULT_API_KEY") // keep it on the server, never in a browser or app
	// Take the user from your own session, never from the browser. Here: the command line.
	userID, email := "42", ""
	if len(os.Args) > 1 {
		userID = os.Args[1]
	}
	if len(os.Args) > 2 {
		email = os.Args[2]
	}
	token, err := messengerToken(vaultURL, apiKey, userID, email)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(token)
}

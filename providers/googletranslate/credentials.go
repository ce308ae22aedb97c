package googletranslate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/diglot/diglot/providers"
)

// EnvCredentials names the variable Application Default Credentials read
// first: the path of a credentials file.
const EnvCredentials = "GOOGLE_APPLICATION_CREDENTIALS"

// checkCredentials fails when Application Default Credentials are surely
// missing, as far as can be told without the network: the variable names
// a file that cannot be read or is not a credentials file, or there is no
// variable, no gcloud application-default file and no sign of running on
// Google Cloud (whose metadata server would supply them). A file that
// looks right may still hold a revoked key; the first request says so,
// as a permanent error.
func checkCredentials(getenv func(string) string) error {
	if path := getenv(EnvCredentials); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("googletranslate: %s: %w", EnvCredentials, err)
		}
		var f struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(data, &f); err != nil || f.Type == "" {
			return fmt.Errorf("googletranslate: %s: %s is not a Google credentials file (JSON with a \"type\")", EnvCredentials, path)
		}
		return nil
	}
	if path := gcloudCredentials(getenv); path != "" {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
	}
	if onGoogleCloud(getenv) {
		return nil
	}
	return fmt.Errorf("googletranslate: %w", &providers.KeyError{Env: EnvCredentials,
		Hint: "point it at a service account key file, or run gcloud auth application-default login"})
}

// gcloudCredentials is where `gcloud auth application-default login`
// writes its credentials.
func gcloudCredentials(getenv func(string) string) string {
	const name = "application_default_credentials.json"
	if dir := getenv("CLOUDSDK_CONFIG"); dir != "" {
		return filepath.Join(dir, name)
	}
	if runtime.GOOS == "windows" {
		if dir := getenv("APPDATA"); dir != "" {
			return filepath.Join(dir, "gcloud", name)
		}
		return ""
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "gcloud", name)
	}
	return ""
}

// onGoogleCloud reports the signs, readable without the network, that a
// metadata server can supply credentials: the variables Cloud Run, Cloud
// Functions, App Engine and GKE set, an explicit GCE_METADATA_HOST, or a
// Compute Engine machine's DMI product name.
func onGoogleCloud(getenv func(string) string) bool {
	for _, v := range []string{"GCE_METADATA_HOST", "K_SERVICE", "FUNCTION_TARGET", "GAE_SERVICE", "KUBERNETES_SERVICE_HOST"} {
		if getenv(v) != "" {
			return true
		}
	}
	b, err := os.ReadFile("/sys/class/dmi/id/product_name")
	return err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "Google")
}

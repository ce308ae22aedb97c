package googletest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/translate/apiv3/translatepb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestPseudo(t *testing.T) {
	tests := []struct {
		in, want string
		gloss    map[string]string
	}{
		{in: "abc。", want: "ABC."},
		{in: `a <span id="g1">b</span>`, want: `A <span id="g1">B</span>`},
		{in: `a<span translate="no" id="x1">keep me</span>`, want: `A<span translate="no" id="x1">keep me</span>`},
		{in: "it's &quot;x&quot; &amp; &lt;y", want: "IT&#39;S &quot;X&quot; &amp; &lt;Y"},
		{in: "拜登说", gloss: map[string]string{"拜登": "Biden"}, want: "Biden" + PseudoText("说")},
	}
	for _, tt := range tests {
		if got := Pseudo(tt.in, tt.gloss); got != tt.want {
			t.Errorf("Pseudo(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestV3Faults(t *testing.T) {
	v, err := NewV3()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	req := &translatepb.TranslateTextRequest{Parent: "projects/p/locations/global", Contents: []string{"a", "b"}, TargetLanguageCode: "en"}
	v.Inject(Fault{Code: codes.ResourceExhausted, RetryAfter: time.Second}, Fault{Drop: 1})
	if _, err := v.TranslateText(context.Background(), req); status.Code(err) != codes.ResourceExhausted {
		t.Errorf("first call error %v, want RESOURCE_EXHAUSTED", err)
	}
	resp, err := v.TranslateText(context.Background(), req)
	if err != nil || len(resp.Translations) != 1 {
		t.Errorf("second call = %v, %v; want one translation", resp, err)
	}
	resp, err = v.TranslateText(context.Background(), req)
	if err != nil || len(resp.Translations) != 2 {
		t.Errorf("third call = %v, %v; want two translations", resp, err)
	}
	if n := v.Requests(); n != 3 {
		t.Errorf("Requests() = %d, want 3", n)
	}
	big := &translatepb.TranslateTextRequest{Parent: "projects/p/locations/global", Contents: make([]string, 1025), TargetLanguageCode: "en"}
	if _, err := v.TranslateText(context.Background(), big); status.Code(err) != codes.InvalidArgument {
		t.Errorf("1025 contents: error %v, want INVALID_ARGUMENT", err)
	}
}

func TestV2Methods(t *testing.T) {
	v := NewV2("sk-test-CANARY-k")
	defer v.Close()
	url := v.Endpoint() + "v2"
	get := url + "?key=sk-test-CANARY-k&target=en&format=text&q=%E4%BD%A0%E5%A5%BD&q=abc"
	post := func(ct, body string) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-Goog-Api-Key", "sk-test-CANARY-k")
		return http.DefaultClient.Do(req)
	}
	for _, tt := range []struct {
		name string
		do   func() (*http.Response, error)
	}{
		{"GET", func() (*http.Response, error) { return http.Get(get) }},
		{"POST json", func() (*http.Response, error) {
			return post("application/json", `{"q":["你好","abc"],"target":"en","format":"text"}`)
		}},
		{"POST form", func() (*http.Response, error) {
			return post("application/x-www-form-urlencoded", "q=%E4%BD%A0%E5%A5%BD&q=abc&target=en&format=text")
		}},
	} {
		resp, err := tt.do()
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Data struct {
				Translations []struct {
					TranslatedText string `json:"translatedText"`
				} `json:"translations"`
			} `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: status %d, %v", tt.name, resp.StatusCode, err)
		}
		ts := body.Data.Translations
		if len(ts) != 2 || ts[0].TranslatedText != PseudoText("你好") || ts[1].TranslatedText != "ABC" {
			t.Errorf("%s: translations %+v", tt.name, ts)
		}
	}
	resp, err := http.Get(strings.Replace(get, "key=sk-test-CANARY-k", "key=wrong", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("wrong key: status %d, want 400", resp.StatusCode)
	}
}

func TestV2WrappedPost(t *testing.T) {
	v := NewV2("")
	defer v.Close()
	resp, err := http.Post(v.Endpoint()+"v2", "application/json",
		strings.NewReader(`{"data":{"q":["你好"],"target":"en","format":"text"}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || v.Billed() != 2 {
		t.Errorf("wrapped POST: status %d, billed %d", resp.StatusCode, v.Billed())
	}
	big := `{"q":["` + strings.Repeat("长", 40000) + `"],"target":"en"}`
	resp, err = http.Post(v.Endpoint()+"v2", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || v.Billed() != 2 {
		t.Errorf("120 KB body: status %d, billed %d; want 400, nothing billed", resp.StatusCode, v.Billed())
	}
}

func TestMix(t *testing.T) {
	rates := map[Kind]float64{RateLimit: 0.2, ServerError: 0.2, Timeout: 0.1, TextTooLong: 0.2, Truncated: 0.2}
	draw := func(seed uint64, v3 bool) []Fault {
		sc := Mix(seed, rates)
		method := "POST"
		if v3 {
			method = "TranslateText"
		}
		var fs []Fault
		for i := range 300 {
			c := Call{Method: method, Contents: []string{fmt.Sprint("段", i), "二"}, Target: "en"}
			fs = append(fs, sc(i+1, c))
			if again := sc(i+1, c); again.any() {
				t.Fatalf("request %d seen again got fault %+v, want none", i, again)
			}
		}
		return fs
	}
	a, b := draw(3, true), draw(3, true)
	counts := map[string]int{}
	for i := range a {
		if a[i].Code != b[i].Code || a[i].Stall != b[i].Stall || a[i].Drop != b[i].Drop {
			t.Fatalf("draw %d differs between runs: %+v, %+v", i, a[i], b[i])
		}
		switch {
		case a[i].Code == codes.ResourceExhausted:
			counts["rate"]++
		case a[i].Code == codes.Unavailable:
			counts["server"]++
		case a[i].Code == codes.InvalidArgument:
			counts["long"]++
		case a[i].Stall:
			counts["timeout"]++
		case a[i].Drop == 1:
			counts["truncated"]++
		default:
			counts["none"]++
		}
	}
	for _, k := range []string{"rate", "server", "long", "timeout", "truncated", "none"} {
		if counts[k] < 10 {
			t.Errorf("%s drawn %d times in 300: %v", k, counts[k], counts)
		}
	}
	for _, f := range draw(3, false) {
		if f.Code != 0 {
			t.Fatalf("a V2 request got a gRPC fault: %+v", f)
		}
	}
}

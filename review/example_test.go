package review_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/review"
	"github.com/diglot/diglot/tm"
)

// ExampleNew serves a directory of bilingual files and searches their
// targets. A program would listen on a loopback address instead:
//
//	ln, _ := net.Listen("tcp", "127.0.0.1:0")
//	fmt.Println("http://" + ln.Addr().String() + "/")
//	http.Serve(ln, srv)
func ExampleNew() {
	dir, err := os.MkdirTemp("", "review-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	doc, err := markdown.Parse([]byte("## 峰会\n\n两国总统举行了峰会。\n"), nil)
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "summit.md"))
	if err != nil {
		log.Fatal(err)
	}
	err = out.WriteBilingual(f, &out.Bilingual{
		From:    "summit.md",
		Doc:     doc,
		Targets: []string{"Summit", "The two presidents held a summit."},
	}, out.Format{Source: "zh", Target: "en"})
	f.Close()
	if err != nil {
		log.Fatal(err)
	}

	srv, err := review.New([]string{dir}, &review.Options{Memory: tm.NewMemory(nil)})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/units?q=summit&in=target")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.Count(string(body), `class="unit-link"`), "units")
	// Output: 200 2 units
}

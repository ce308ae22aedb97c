package review

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/diglot/diglot/pipeline"
)

// TestBrowserHTMLLayout opens the pages `publish --layout html` writes in
// the same headless Chromium: the index links every article, and an
// article's source and target paragraphs stand in facing columns on a wide
// screen (the README's screenshot is taken here).
func TestBrowserHTMLLayout(t *testing.T) {
	dir := translateFixture(t, []string{"testdata/article.md"})
	pub := t.TempDir()
	rep, err := pipeline.Publish(context.Background(), []string{dir}, &pipeline.PublishOptions{OutDir: pub, Layout: pipeline.LayoutHTML})
	if err != nil || rep.Totals.FilesFailed > 0 {
		t.Fatalf("publish: %v, %+v", err, rep.Totals)
	}
	ctx := browser(t)
	step(t, ctx, "open the index", chromedp.Navigate("file://"+filepath.Join(pub, pipeline.IndexPage)),
		chromedp.WaitVisible(chromedp.CSS("a[href$='article.html']")))
	step(t, ctx, "open the article", chromedp.Click(chromedp.CSS("a[href$='article.html']")),
		chromedp.WaitVisible(chromedp.CSS(".pair .tgt")))
	// The first pair whose target is a paragraph: its two columns share a
	// top and the target stands right of the source.
	js := `(() => {
		for (const p of document.querySelectorAll('.pair')) {
			const s = p.querySelector('.src p'), g = p.querySelector('.tgt p');
			if (!s || !g) continue;
			const a = s.getBoundingClientRect(), b = g.getBoundingClientRect();
			return [a.left, a.top, b.left, b.top, g.lang || g.parentElement.lang].join(' ');
		}
		return 'none';
	})()`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatal(err)
	}
	var sl, st, tl, tt float64
	var lang string
	if _, err := fmt.Sscan(got, &sl, &st, &tl, &tt, &lang); err != nil {
		t.Fatalf("no paragraph pair on the page: %q", got)
	}
	if tl <= sl || tt != st || lang != "en" {
		t.Errorf("source at (%v,%v), target at (%v,%v) lang %q: want facing columns, the English on the right", sl, st, tl, tt, lang)
	}
	shoot(t, ctx, "publish-html.png")
}

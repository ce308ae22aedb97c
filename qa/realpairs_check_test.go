package qa

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRealPairsInCorpus checks that every source of realPairs is a
// sentence of the file it names, so that the table stays real.
func TestRealPairsInCorpus(t *testing.T) {
	archive := os.Getenv("DIGLOT_ARCHIVE")
	cache := map[string]string{}
	for _, p := range realPairs {
		path := filepath.Join(corpusDir, p.file)
		if rel, ok := strings.CutPrefix(p.file, "archive:"); ok {
			if archive == "" {
				continue
			}
			path = filepath.Join(archive, rel)
		}
		text, ok := cache[path]
		if !ok {
			b, err := os.ReadFile(path)
			if os.IsNotExist(err) && !strings.HasPrefix(p.file, "archive:") {
				t.Skipf("no corpus at %s", corpusDir)
			}
			if err != nil {
				t.Fatal(err)
			}
			text = string(b)
			cache[path] = text
		}
		if !strings.Contains(text, p.src) {
			t.Errorf("%s does not hold %q", p.file, p.src)
		}
	}
}

// TestRealPairs runs every segment check on the real pairs and their
// other correct renderings: any finding is a false finding.
func TestRealPairs(t *testing.T) {
	if len(realPairs) < 60 {
		t.Fatalf("%d real pairs, want at least 60", len(realPairs))
	}
	checked, false_ := 0, 0
	for i, p := range realPairs {
		for _, tgt := range append([]string{p.tgt}, p.alts...) {
			checked++
			got := CheckSegment(nil, zh, en, Pair{Source: p.src, Target: tgt, SegIndex: i})
			for _, f := range got {
				false_++
				t.Errorf("%s: %q\n  → %q\n  false finding: %s", p.file, p.src, tgt, Format(p.file, f))
			}
		}
	}
	t.Logf("%d real pairs, %d renderings checked, %d false findings", len(realPairs), checked, false_)
}

// digitRun finds numbers written in digits in a target.
var digitRun = regexp.MustCompile(`[0-9][0-9,.]*[0-9]|[0-9]`)

// TestRealPairsPlanted changes each number of each real target in turn
// (its last digit) and checks that the numbers check finds it: an error
// for a number the source writes in digits. A change is planted only where
// it loses a value of the source: the target may give a number twice (6
// years, six years), or a digit that is no number of the source (COVID-19
// for 新冠).
func TestRealPairsPlanted(t *testing.T) {
	planted, found := 0, 0
	for _, p := range realPairs {
		want := sourceNumbers(withoutURLs(p.src))
		for _, loc := range digitRun.FindAllStringIndex(p.tgt, -1) {
			run := p.tgt[loc[0]:loc[1]]
			last := run[len(run)-1]
			mutated := run[:len(run)-1] + string('0'+(last-'0'+1)%10)
			tgt := p.tgt[:loc[0]] + mutated + p.tgt[loc[1]:]
			before, after := targetNumbers(p.tgt), targetNumbers(tgt)
			var lost *num
			for i, n := range want {
				has := func(vals []float64) bool {
					return slices.ContainsFunc(n.vals, func(v float64) bool {
						return slices.ContainsFunc(vals, func(h float64) bool { return same(v, h) })
					})
				}
				if has(before) && !has(after) {
					lost = &want[i]
					break
				}
			}
			if lost == nil {
				continue
			}
			planted++
			fs := checkNumbers(p.src, tgt)
			wantSev := Error
			if lost.word {
				wantSev = Warning
			}
			if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Kind == KindNumbers && f.Severity == wantSev }) {
				t.Errorf("%s: %q\n  → %q (%s changed to %s): want a numbers %s, got %v", p.file, p.src, tgt, run, mutated, wantSev, fs)
				continue
			}
			found++
		}
	}
	t.Logf("%d numbers changed in real targets, %d found", planted, found)
	if planted < 100 {
		t.Errorf("only %d numbers planted, want at least 100", planted)
	}
}

// TestLengthCalibration measures the target/source length ratio of the
// real pairs (see sourceLength) and checks that LengthBounds for zh→en
// holds every one of them with room to spare: the bounds are calibrated on
// this table (README, QA checks).
func TestLengthCalibration(t *testing.T) {
	var rs []float64
	for _, p := range append(realPairs[:len(realPairs):len(realPairs)], goodPairsAsReal()...) {
		s := sourceLength(zh, en, p.src)
		if s/density(zh) < minLengthUnits {
			continue
		}
		for _, tgt := range append([]string{p.tgt}, p.alts...) {
			rs = append(rs, float64(textChars(tgt))/s)
		}
	}
	slices.Sort(rs)
	q := func(f float64) float64 { return rs[int(f*float64(len(rs)-1))] }
	lo, hi := LengthBounds(nil, zh, en)
	t.Logf("%d ratios: min %.2f, 5%% %.2f, median %.2f, 95%% %.2f, max %.2f; bounds [%.2f, %.2f]",
		len(rs), rs[0], q(0.05), q(0.5), q(0.95), rs[len(rs)-1], lo, hi)
	if rs[0] < lo || rs[len(rs)-1] > hi {
		t.Errorf("ratios %.2f–%.2f of real translations fall outside the bounds [%.2f, %.2f]", rs[0], rs[len(rs)-1], lo, hi)
	}
}

func goodPairsAsReal() []struct {
	file, src, tgt string
	alts           []string
} {
	var ps []struct {
		file, src, tgt string
		alts           []string
	}
	for _, p := range goodPairs {
		ps = append(ps, struct {
			file, src, tgt string
			alts           []string
		}{"", p.src, p.tgt, nil})
	}
	return ps
}

// TestNumeralWords checks that Chinese numerals that are words, idioms or
// names draw no numbers finding when a correct translation renders their
// sense. The sentences are the corpus's.
func TestNumeralWords(t *testing.T) {
	pairs := []struct{ src, tgt string }{
		{"账户冻结对有郭先生的名字的账户和与之相关的另一个通常是公司和其他一些组织使用的Facebook账户都有影响。",
			"The freeze affects the account bearing Mr. Guo's name and another related Facebook account of the kind usually used by companies and other organizations."},
		{"下午赶快打电话，一直到现在没联络上。", "I hurried to call in the afternoon and still haven't reached them."},
		{"不但我不能走，我家人也不能走，我会和他们战斗在一起，而且我会继续工作。",
			"Not only can I not leave, my family can't either; I will fight alongside them, and I will keep working."},
		{"台湾，非常清楚，2020年前让台湾事实上达到统一。", "As for Taiwan, it is very clear: de facto unification before 2020."},
		{"我越打交道，我越有感受，千万别想当然。", "The more I deal with them, the more I feel it: never take anything for granted."},
		{"所以说战友们，所以说郭文贵创造的唯一太多了。", "So, comrades, so much of what Guo Wengui has created is unique."},
		{"坦克蛋糕，这个东西在任何时间点都是十分敏感的，尤其是6/3日这个6/4前夕。",
			"The tank cake is extremely sensitive at any time, especially on 6/3, the eve of 6/4."},
		{"郭文贵先生：我现在跟这个四川师父通通话，最近老有四川音出来了，咋办呢？",
			"Mr. Guo Wengui: I'm on the phone with this master from Sichuan; lately a Sichuan accent keeps slipping out, what can I do?"},
		{"头两天一个国内的历史学家，跟我在那块发半天信息。", "The other day a historian in China spent half a day messaging me."},
		{"然后有个翠丢了，人家那是几千万的翠，这回又让在原地找到了，那是假的。",
			"Then a piece of jade went missing, jade worth tens of millions, and this time it turned up in the same place: it was fake."},
		{"你算算，你哪个老百姓一年你花了一二十万了？", "Do the math: which ordinary person spends a hundred or two hundred thousand a year?"},
		{"这就是文贵要搞的爆料革命，在一年前说的—，有肉大家一起吃，有难我一个人担。",
			"This is the whistleblower revolution Wengui is making, as I said a year ago: when there is meat, we all eat together; when there is trouble, I bear it alone."},
		{"大家要记住，整个网络上就是那个五毛、七毛。", "Remember, the whole internet is full of those fifty-cent and seventy-cent trolls."},
		{"大家要记住，中国没有一样产业能在世界上能成雄的，一样都没有。",
			"Remember, China has not a single industry that can lead the world, not one."},
		{"非常想念战友们，我相信很多战友跟我的感受是一样的。", "I miss the comrades very much; I believe many of them feel as I do."},
		{"小的时候给你打了假疫苗，给你打上去了，然后让你吃假药一直到你得癌症。",
			"When you were little they gave you fake vaccines, and then fed you fake medicine until you got cancer."},
	}
	for _, p := range pairs {
		if fs := checkNumbers(p.src, p.tgt); len(fs) > 0 {
			t.Errorf("checkNumbers(%q, %q) = %v, want none", p.src, p.tgt, fs)
		}
	}
}

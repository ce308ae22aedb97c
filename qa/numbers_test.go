package qa

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func numFinding(raw string, sev Severity) Finding {
	return Finding{Kind: KindNumbers, Severity: sev, Message: `number "` + raw + `" is not in the target`}
}

// The sources are sentences of the real corpus; the targets are correct
// translations (no finding) and broken ones (a finding each).
func TestCheckNumbers(t *testing.T) {
	tests := []struct {
		name, src, tgt string
		want           []Finding
	}{
		// Digits, thousands separators, decimals.
		{"separators", "康州新增新冠感染1,420人，新增死亡0人。",
			"Connecticut reported 1,420 new COVID-19 infections and no new deaths.", nil},
		{"separators dropped", "康州新增新冠感染1,420人，新增死亡0人。",
			"Connecticut reported 1420 new infections and 0 new deaths.", nil},
		{"digits swapped", "康州新增新冠感染1,420人，新增死亡0人。",
			"Connecticut reported 1,240 new infections and 0 new deaths.",
			[]Finding{numFinding("1,420", Error)}},
		{"year", "所有现有的华为设备必须在2027年之前被移除。",
			"All existing Huawei equipment must be removed before 2027.", nil},
		{"year changed", "所有现有的华为设备必须在2027年之前被移除。",
			"All existing Huawei equipment must be removed before 2028.",
			[]Finding{numFinding("2027", Error)}},
		// Chinese magnitudes.
		{"亿 as million", "一季度，该板块收入8.85亿元，同比增长16.5%。",
			"In the first quarter the segment's revenue was 885 million yuan, up 16.5% year on year.", nil},
		{"亿 as digits", "一季度，该板块收入8.85亿元，同比增长16.5%。",
			"In the first quarter the segment's revenue was 885,000,000 yuan, up 16.5 percent.", nil},
		{"亿 read as million", "一季度，该板块收入8.85亿元，同比增长16.5%。",
			"In the first quarter the segment's revenue was 8.85 million yuan, up 16.5%.",
			[]Finding{numFinding("8.85亿", Error)}},
		{"万 and month name", "俄罗斯5月份的出口量约为2400万桶，比4月份高6%。",
			"Russia's exports in May were about 24 million barrels, 6% higher than in April.", nil},
		{"万 read as billion", "俄罗斯5月份的出口量约为2400万桶，比4月份高6%。",
			"Russia's exports in May were about 24 billion barrels, 6% higher than in April.",
			[]Finding{numFinding("2400万", Error)}},
		{"亿 twice", "14亿人口1.3亿人信教，70年，而且信的地下教。",
			"Of 1.4 billion people, 130 million are believers, for 70 years, underground.", nil},
		{"万亿", "仍比疫情之前的趋势增长线高出约5万亿美元", "still about $5 trillion above the pre-pandemic trend", nil},
		{"20万 forms", "俄军在20万平方公里的前线布满地雷", "Russia has mined a 200,000-square-kilometre front", nil},
		{"20万 as thousand", "俄军在20万平方公里的前线布满地雷", "Russia has mined a front of 200 thousand square kilometres", nil},
		{"20万 as million", "俄军在20万平方公里的前线布满地雷", "Russia has mined a front of 0.2 million square kilometres", nil},
		{"3.5亿", "用户达3.5亿", "users reached 350 million", nil},
		{"1.2万亿", "债务达1.2万亿", "debts of 1.2 trillion", nil},
		{"$60m", "有价值约6000万美元的货物", "goods worth about $60m", nil},
		// Full-width digits and percent.
		{"full width", "中国拚创造1200万人就业订5％成长目标", "China strives to create 12 million jobs with a 5% growth target", nil},
		{"percent in words", "中国拚创造1200万人就业订5％成长目标", "China strives to create 12 million jobs with a five percent growth target", nil},
		{"full width digits", "第１２３号", "No. 123", nil},
		{"percent lost", "中国拚创造1200万人就业订5％成长目标", "China strives to create 12 million jobs",
			[]Finding{numFinding("5", Error)}},
		// Dates.
		{"date", "5月24日盘后，网易云音乐披露2022年第一季度财报。",
			"After the close on May 24, NetEase Cloud Music released its results for the first quarter of 2022.", nil},
		{"date day first", "5月24日盘后，网易云音乐披露2022年第一季度财报。",
			"After the close on 24 May, NetEase Cloud Music released its Q1 2022 results.", nil},
		{"date wrong day", "5月24日盘后，网易云音乐披露2022年第一季度财报。",
			"After the close on May 25, NetEase Cloud Music released its first-quarter 2022 results.",
			[]Finding{numFinding("24", Error)}},
		{"chinese date", "六月十六日，两国元首在日内瓦会面。", "On June 16 the two heads of state met in Geneva.", nil},
		{"chinese date lost", "六月十六日，两国元首在日内瓦会面。", "On July 16 the leaders of both countries met in Geneva.",
			[]Finding{numFinding("六", Warning)}},
		{"chinese year", "二〇二一年，他离开了香港。", "In 2021 he left Hong Kong.", nil},
		{"decade", "上世纪90年代", "in the 1990s", nil},
		// Chinese numerals.
		{"fraction", "被扣押的货物中已有三分之一被放行。", "A third of the seized goods have already been released.", nil},
		{"fraction as percent", "被扣押的货物中已有三分之一被放行。", "About 33.33333333333333% of the seized goods have been released.", nil},
		{"fraction lost", "被扣押的货物中已有三分之一被放行。", "Some of the seized goods have been released.",
			[]Finding{numFinding("三分之一", Warning)}},
		{"percent words", "接下来无疑议地川普总统百分之一万会大赢。", "Next, President Trump will win big, 10,000 percent, no doubt.", nil},
		{"百分之五", "增长百分之五", "growth of 5%", nil},
		{"ordinals", "第一問題是台灣，第二問題是香港，第三是華為。",
			"The first issue is Taiwan, the second Hong Kong, the third Huawei.", nil},
		{"ordinal lost", "第一問題是台灣，第二問題是香港，第三是華為。",
			"The first issue is Taiwan, the second Hong Kong, and then Huawei.",
			[]Finding{numFinding("三", Warning)}},
		{"count with classifier", "我们开会的时候，中间有两个老人家心脏不太舒服。",
			"During our meeting, two of the elderly people had heart trouble.", nil},
		{"count lost", "我们开会的时候，中间有两个老人家心脏不太舒服。",
			"During our meeting, some elderly people had heart trouble.",
			[]Finding{numFinding("两", Warning)}},
		{"count 3rd", "这是第三次", "this is the 3rd time", nil},
		{"structured", "三十万人参加", "300,000 people took part", nil},
		{"structured words", "三十万人参加", "three hundred thousand people took part", nil},
		{"tael", "特頒奬金五千两黄金。", "awarded a prize of 5,000 taels of gold.", nil},
		{"thirties", "他30多岁", "he is in his thirties", nil},
		{"1990s", "上世纪60年代", "in the 1960s", nil},
		{"range of days", "美欧日经济周报（4月24日～4月28日）", "US, EU and Japan economic weekly (April 24–28)", nil},
		{"quarter and year", "这低于2022年第四季度经季节调整后的2.6%的增幅。", "That is below the seasonally adjusted 2.6% rise in Q4 2022.", nil},
		{"billions", "第一共和银行1,045亿美元的存款中有48%是没有保险的", "48% of First Republic Bank's $104.5 billion in deposits were uninsured", nil},
		{"nickname and congress", "七哥说二十大之后五眼联盟会行动", "Brother Seven says the Five Eyes will act after the 20th Party Congress", nil},
		{"ten years", "十多年来", "for more than a decade", nil},
		// Words that look like numbers but are not counts: no finding.
		{"一些 统一", "然後呢，跟一些美國朋友吃飯，统一思想。", "Then I had dinner with some American friends.", nil},
		{"周五 五一", "很多战友的留言，每周四到周五。五一前夕。", "Many comrades leave messages every Thursday and Friday, before May Day.", nil},
		{"第二天", "第二天，他们离开了。", "The next day, they left.", nil},
		{"几十万", "几十万人上街", "hundreds of thousands took to the streets", nil},
		{"两岸", "两岸关系紧张", "cross-strait relations are tense", nil},
		{"一两个", "请各位嘉宾准备一两个问题。", "Guests, please prepare a question or two.", nil},
		{"idiom", "成千上万的人", "thousands of people", nil},
		// Numbers in tags are the tags check's business.
		{"in tags", "见<x1/>第<g2>5</g2>页", "see page 5 <x1/>", nil},
		{"number only in a tag", "见<x1/>", "see <x1/>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkNumbers(tt.src, tt.tgt)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("checkNumbers(%q, %q) (-want +got):\n%s", tt.src, tt.tgt, diff)
			}
		})
	}
}

func TestParseCN(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"三", 3, true}, {"十", 10, true}, {"十二", 12, true}, {"二十五", 25, true},
		{"一百零五", 105, true}, {"三万五千", 35000, true}, {"一万亿", 1e12, true},
		{"十四亿", 1.4e9, true}, {"两千万", 2e7, true}, {"五四", 0, false}, {"一五一十", 0, false},
		{"千万", 0, false}, {"万", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseCN([]rune(tt.in))
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseCN(%q) = %v, %v, want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

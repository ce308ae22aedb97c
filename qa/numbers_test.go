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
		// Forms met in the archive.
		{"traditional magnitudes", "台灣人5800億美元的GDP，將近6000億美元，2300多萬人。",
			"Taiwan's GDP of $580 billion, nearly $600 billion, more than 23 million people.", nil},
		{"traditional read as thousands", "台灣人5800億美元的GDP", "Taiwan's GDP of $5,800", []Finding{numFinding("5800億", Error)}},
		{"sections", "目前美国已经有大约1 亿8 千5百万人已经接种了疫苗", "about 185 million people in the US have been vaccinated", nil},
		{"digits then numerals", "你想找个地方放1亿两千万你都找不到", "you can't find a place to put 120 million", nil},
		{"two numbers glued", "中国人口骤降到6亿多7亿多", "China's population plunged to over 600 million, over 700 million", nil},
		{"colloquial", "四十二万七，四十二万一到四十三万", "427,000, 421,000 to 430,000", nil},
		{"colloquial trailing one", "四十万一尺", "400,000 a foot", nil},
		{"decimal comma", "世银将额外拨款14,9亿美元", "the World Bank will give an extra $1.49 billion", nil},
		{"grouped by four", "资（不含农民）5,0847亿元", "investment (excluding farmers) of 5.0847 trillion yuan", nil},
		{"list of two", "也值5、6个亿啊", "worth 500 or 600 million", nil},
		{"hundreds of a yi", "7,8百亿", "70 or 80 billion", nil},
		{"个亿", "一个都是5千万、两个亿、三个亿", "each 50 million, 200 million, 300 million", nil},
		{"个亿 read as a count", "七哥出了三个亿买口罩", "Brother Seven paid three for masks", []Finding{numFinding("三个亿", Warning)}},
		{"full-width decimal", "几乎是９９．９９９９９％的自媒体", "almost 99.99999% of self-media", nil},
		{"full-width stop is no decimal", "7月22号．2018关于", "July 22. 2018 about", nil},
		{"comma is no separator", "美国总统演讲，40万，50万美元呢", "a president's speech, 400,000, 500,000 dollars", nil},
		{"section number", "4.1.3 十八岁以上成年人", "4.1.3 Adults aged 18 and over", nil},
		{"list number before a tag", "1.<g1>5月11日晚，福州</g1>", "1. <g1>On the evening of May 11, Fuzhou</g1>", nil},
		{"magnitude after formatting", "文件<g1><g2>7</g2></g1>万份", "<g1><g2>70,000</g2></g1> documents", nil},
		{"no magnitude across a link", "约5<x1/>亿立方米", "about 5 <x1/> billion cubic metres", nil},
		{"month day in numerals", "元月一日晚", "on the evening of January 1", nil},
		{"percentage points", "加息0.25个百分点", "a 25 basis point rise", nil},
		{"generation", "90后", "people born in the 1990s", nil},
		{"no-break space", "我在河南盖裕达国贸的时候3.6\u00a0亿美元", "when I built Yuda International Trade in Henan, $360 million", nil},
		{"dotted date", "2022.07.22 万分感谢战友制作的精美的视频。", "2022.07.22 Many thanks to the comrades who made the fine video.", nil},
		{"percent of a magnitude", "你百分之6万都不止", "it's more than 60,000 percent", nil},
		{"a name with a letter", "违反了《证券交易法》第10(b)条以及第10b-5条。", "violated Section 10(b) of the Securities Exchange Act and Rule 10b-5.", nil},
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

package qa

// goodPairs are sentences of the real corpus (../../shared/corpus, in the
// neutral form: [[zh:…]] spans and links are tags) with correct English
// translations. No check may fire on them.
var goodPairs = []struct{ src, tgt string }{
	{"据《布雷特巴特新闻网》（Breitbart News）4月14日报道，美国海关官员本周五（4月14日）在接受CNBC采访时表示，由于中共政府在积极想方设法地混淆和模糊供应链，以阻止企业了解货物的生产环境和条件，这让他们很难确定货物是否是由中国新疆地区的强迫劳动力制造。",
		"Breitbart News reported on April 14 that US customs officials said in an interview with CNBC on Friday (April 14) that because the CCP government is actively finding ways to confuse and obscure supply chains to keep companies from learning the environment and conditions in which goods are produced, it is hard for them to determine whether goods were made by forced labour in China's Xinjiang region."},
	{"纽约（New York）/纽瓦克（Newark）港的助理港务主任爱德华·福克斯（Edward Fox）说：“目前，有价值约6000万美元的货物因违法强迫劳动规定而受到调查。”",
		"Edward Fox, assistant port director of the Port of New York/Newark, said: \"At present, goods worth about $60 million are under investigation for violating forced labour rules.\""},
	{"CNBC的记者安德烈·戴（Andrea Day）表示：“在因涉嫌强迫劳动而被扣押的货物清单中，电子产品、服装、鞋类和纺织品排在前列。被扣押的货物中已有三分之一被放行。”",
		"CNBC reporter Andrea Day said: \"Electronics, clothing, footwear and textiles top the list of goods detained on suspicion of forced labour. A third of the detained goods have already been released.\""},
	{"爱德华·福克斯说：“太阳能电池板是一个大问题，因为它所需的多晶硅主要来自新疆地区。”",
		"Edward Fox said: \"Solar panels are a big problem, because the polysilicon they need comes mainly from the Xinjiang region.\""},
	{"<x1/>基金期货指出，<x2/>在下周会议上加息四分之一的可能性为87%。",
		"<x1/> funds futures indicate an 87% chance that the <x2/> will raise rates by a quarter point at next week's meeting."},
	{"剔除食品和<x1/>的核心个人消费支出价格指数在<x2/>份预计将增长4.5%，而同期的整体PCE预计将增长4.1%。",
		"The core personal consumption expenditures price index, which excludes food and <x1/>, is expected to have risen 4.5% in <x2/>, while headline PCE is expected to have risen 4.1% over the same period."},
	{"在其书面回应中，Coinbase指出，SEC在2021年批准其成为上市<x1/>的注册声明，证明SEC不公平地改变了其对Coinbase业务合规性的立场。",
		"In its written response, Coinbase noted that the SEC approved its registration statement to become a public <x1/> in 2021, which it says shows the SEC has unfairly changed its position on the compliance of Coinbase's business."},
	{"周四，Coinbase发布了长达73页的回应，广泛否认其在平台上提供证券。",
		"On Thursday, Coinbase released a 73-page response broadly denying that it offers securities on its platform."},
	{"<g1>Coinbase 誓言对抗<x2/>可能采取的行动</g1>",
		"<g1>Coinbase vows to fight possible action by the <x2/></g1>"},
	{"这个社交媒体网络表示，它已经冻结了郭先生的个人资料，并冻结了与他有关的另一个账户。",
		"The social media network said it had frozen Mr. Guo's profile and another account linked to him."},
	{"据报道，详情见<g1>原文</g1><x2/>。", "According to the report, see <g1>the original</g1><x2/> for details."},
	{"那个韦石（注：孟维参）说的。", "That Wei Shi (Note: Meng Weican) said so."},
}

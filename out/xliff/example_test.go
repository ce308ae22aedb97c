package xliff_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/out/xliff"
)

func Example() {
	// A bilingual file, as diglot translate writes it.
	doc, err := markdown.Parse([]byte("# 峰会\n\n两国领导人在[日内瓦](https://www.geneve.ch)举行了会谈。\n"), nil)
	if err != nil {
		log.Fatal(err)
	}
	var bi bytes.Buffer
	err = out.WriteBilingual(&bi, &out.Bilingual{
		From:    "summit.md",
		Doc:     doc,
		Targets: []string{"Summit", "The two leaders held talks in <g1>Geneva</g1>."},
	}, out.Format{Source: "zh", Target: "en"})
	if err != nil {
		log.Fatal(err)
	}

	// Export it for a CAT tool.
	in, err := xliff.ReadInput("summit.bi.md", bi.Bytes(), nil)
	if err != nil {
		log.Fatal(err)
	}
	var x bytes.Buffer
	if _, err := xliff.Export(&x, []*xliff.Input{in}); err != nil {
		log.Fatal(err)
	}
	fmt.Print(x.String())

	// A translator edits the second target there; import it.
	edited := strings.Replace(x.String(), "talks in <pc", "talks on Wednesday in <pc", 1)
	d, err := xliff.Parse("summit.xlf", strings.NewReader(edited))
	if err != nil {
		log.Fatal(err)
	}
	next, res, err := xliff.Apply("summit.bi.md", bi.Bytes(), "summit.xlf", &d.Files[0], nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("changed", res.Changed, "approved", res.Approved)
	fmt.Print(string(next))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.1" srcLang="zh" trgLang="en">
	//   <file id="fc63d4119" original="summit.bi.md" canResegment="no" xml:space="preserve">
	//     <mda:metadata>
	//       <mda:metaGroup category="diglot">
	//         <mda:meta type="format">diglot-v1</mda:meta>
	//         <mda:meta type="from">summit.md</mda:meta>
	//       </mda:metaGroup>
	//     </mda:metadata>
	//     <unit id="u247c91d0" name="1">
	//       <mda:metadata>
	//         <mda:metaGroup category="diglot">
	//           <mda:meta type="unit">1</mda:meta>
	//           <mda:meta type="state">machine</mda:meta>
	//           <mda:meta type="target-hash">10e59d01</mda:meta>
	//         </mda:metaGroup>
	//       </mda:metadata>
	//       <segment id="s1" state="translated" subState="diglot:machine">
	//         <source>峰会</source>
	//         <target>Summit</target>
	//       </segment>
	//     </unit>
	//     <unit id="ue37a5007" name="2">
	//       <mda:metadata>
	//         <mda:metaGroup category="diglot">
	//           <mda:meta type="unit">2</mda:meta>
	//           <mda:meta type="state">machine</mda:meta>
	//           <mda:meta type="target-hash">5ab5b5f5</mda:meta>
	//         </mda:metaGroup>
	//       </mda:metadata>
	//       <originalData>
	//         <data id="d1">[</data>
	//         <data id="d1e">](https://www.geneve.ch)</data>
	//       </originalData>
	//       <segment id="s1" state="translated" subState="diglot:machine">
	//         <source>两国领导人在<pc id="1" dataRefStart="d1" dataRefEnd="d1e" dispStart="[" dispEnd="](https://www.geneve.ch)" type="link" canCopy="no" canDelete="no">日内瓦</pc>举行了会谈。</source>
	//         <target>The two leaders held talks in <pc id="1" dataRefStart="d1" dataRefEnd="d1e" dispStart="[" dispEnd="](https://www.geneve.ch)" type="link" canCopy="no" canDelete="no">Geneva</pc>.</target>
	//       </segment>
	//     </unit>
	//   </file>
	// </xliff>
	// changed [2] approved [2]
	// <!-- diglot v1 source=zh target=en from=summit.md -->
	//
	// # 峰会
	//
	// <!-- diglot:t id=1 src=247c91d0 mt=10e59d01 state=machine -->
	// # Summit
	//
	// 两国领导人在[日内瓦](https://www.geneve.ch)举行了会谈。
	//
	// <!-- diglot:t id=2 src=e37a5007 mt=5ab5b5f5 state=reviewed -->
	// The two leaders held talks on Wednesday in [Geneva](https://www.geneve.ch).
}

package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// DefaultMaxFileSize is the largest input read unless Options say otherwise.
const DefaultMaxFileSize = 8 << 20

// Input encodings accepted by Options.InputEncoding.
const (
	EncodingUTF8    = "utf-8"
	EncodingAuto    = "auto"
	EncodingGB18030 = "gb18030"
	EncodingBig5    = "big5"
)

// Errors of the read stage. Each names what is wrong with one file; the run
// goes on with the others.
var (
	ErrTooLarge    = errors.New("file too large")
	ErrBinary      = errors.New("binary file")
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	ErrEncoding    = errors.New("cannot decode")
)

// Source is an input file's text after decoding.
type Source struct {
	Text     []byte // UTF-8; a UTF-8 BOM is kept
	Encoding string // what it was decoded from: "utf-8", "utf-16le", "gb18030", ...
}

// ReadSource reads and decodes one input file. It never returns partial
// text: an oversize, binary or undecodable file is an error naming why.
func ReadSource(path string, maxSize int64, inputEncoding string) (*Source, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, unwrapPathError(err)
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("%w: over the limit of %s (max_file_size)", ErrTooLarge, sizeString(maxSize))
	}
	return Decode(data, inputEncoding)
}

// Decode turns raw file bytes into UTF-8 text. A UTF-16 byte order mark
// is always honoured; legacy encodings are decoded only when asked for
// (gb18030, big5) or detected (auto).
func Decode(data []byte, inputEncoding string) (*Source, error) {
	if enc, name := utf16ByBOM(data); enc != nil {
		return decodeWith(data, enc, name)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, fmt.Errorf("%w (NUL byte at offset %d)", ErrBinary, i)
	}
	switch inputEncoding {
	case "", EncodingUTF8:
		if off := invalidUTF8(data); off >= 0 {
			return nil, fmt.Errorf("%w at byte offset %d (a legacy encoding? try --input-encoding auto, gb18030 or big5)", ErrInvalidUTF8, off)
		}
		return &Source{Text: data, Encoding: EncodingUTF8}, nil
	case EncodingGB18030:
		return decodeWith(data, simplifiedchinese.GB18030, EncodingGB18030)
	case EncodingBig5:
		return decodeWith(data, traditionalchinese.Big5, EncodingBig5)
	case EncodingAuto:
		return detect(data)
	}
	return nil, fmt.Errorf("%w: unknown input encoding %q (want utf-8, auto, gb18030 or big5)", ErrEncoding, inputEncoding)
}

func utf16ByBOM(data []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	}
	return nil, ""
}

func decodeWith(data []byte, enc encoding.Encoding, name string) (*Source, error) {
	text, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return nil, fmt.Errorf("%w as %s: %v", ErrEncoding, name, err)
	}
	// Decoders substitute U+FFFD for bytes they cannot map; a file full of
	// them was not in this encoding.
	if n := bytes.Count(text, []byte("\uFFFD")) - bytes.Count(data, []byte("\uFFFD")); n > 0 {
		return nil, fmt.Errorf("%w as %s: %d undecodable byte sequences", ErrEncoding, name, n)
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return nil, fmt.Errorf("%w (NUL character after decoding %s)", ErrBinary, name)
	}
	return &Source{Text: text, Encoding: name}, nil
}

// detect picks UTF-8 when the bytes are valid UTF-8, else the legacy
// Chinese encoding that decodes cleanly with the more plausible text: Big5
// text decoded as GB18030 yields rare characters, and the other way round.
func detect(data []byte) (*Source, error) {
	if invalidUTF8(data) < 0 {
		return &Source{Text: data, Encoding: EncodingUTF8}, nil
	}
	gb, gbErr := decodeWith(data, simplifiedchinese.GB18030, EncodingGB18030)
	b5, b5Err := decodeWith(data, traditionalchinese.Big5, EncodingBig5)
	switch {
	case gbErr != nil && b5Err != nil:
		return nil, fmt.Errorf("%w: neither UTF-8, GB18030 nor Big5", ErrEncoding)
	case gbErr != nil:
		return b5, nil
	case b5Err != nil:
		return gb, nil
	}
	if commonHan(b5.Text) > commonHan(gb.Text) {
		return b5, nil
	}
	return gb, nil
}

// commonHan counts characters from a short list of the most frequent
// Chinese characters, simplified and traditional, as a plausibility score.
func commonHan(text []byte) int {
	n := 0
	for _, r := range string(text) {
		if r >= 0x4E00 && bytes.ContainsRune(frequentHan, r) {
			n++
		}
	}
	return n
}

var frequentHan = []byte("的一是不了人我在有他这這中大来來上国國个個到说說们們为為子和你地出道也时時年得就那要下以生会會自着著去之过過家学學对對可她里裡后後小么麼心多天而能好都然没沒日于於起还還发發成事只作当當想看文无無开開手十用主行方又如前所本见見经經头頭面公同三已老从從动動两兩长長知民样樣现現分将將外但身些与與高意进進把法此实實回二理美点點月明其种種声聲全工己话話儿兒者向情部正名定女问問力机機给給等几幾很业業最间間新什打便位因重被走电電四第门門相次东東政海口使教西再平真听聽世气氣信北少关關并內加化由却卻代军軍产產入先山五太水万萬市眼体體别別处處总總才场場师師书書比住员員九笑性通目华華报報立马馬命张張活难難神数數件安表原车車白应應路期叫死常提感金何更反合放做系計计")

// invalidUTF8 returns the offset of the first invalid byte, or -1.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

func sizeString(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

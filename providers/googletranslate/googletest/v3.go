package googletest

import (
	"context"
	"fmt"
	"net"
	"strings"
	"unicode/utf8"

	"cloud.google.com/go/translate/apiv3/translatepb"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Limits the V3 fake enforces, as Google does.
const (
	V3MaxContents = 1024
	V3MaxChars    = 30000
)

// V3 is a fake Cloud Translation - Advanced service on a loopback gRPC
// listener. Point the "google" engine at it with endpoint = Addr() and
// insecure = true.
type V3 struct {
	core
	translatepb.UnimplementedTranslationServiceServer
	srv *grpc.Server
	lis net.Listener
}

// NewV3 starts a V3 fake on 127.0.0.1.
func NewV3() (*V3, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("googletest: listen: %w", err)
	}
	v := &V3{srv: grpc.NewServer(), lis: lis}
	translatepb.RegisterTranslationServiceServer(v.srv, v)
	go v.srv.Serve(lis)
	return v, nil
}

// Addr returns the host:port the fake listens on.
func (v *V3) Addr() string { return v.lis.Addr().String() }

// Close stops the server, ending requests in flight.
func (v *V3) Close() { v.srv.Stop() }

// TranslateText implements translatepb.TranslationServiceServer.
func (v *V3) TranslateText(ctx context.Context, req *translatepb.TranslateTextRequest) (*translatepb.TranslateTextResponse, error) {
	call := Call{
		Method:   "TranslateText",
		Contents: req.GetContents(),
		Source:   req.GetSourceLanguageCode(),
		Target:   req.GetTargetLanguageCode(),
		MimeType: req.GetMimeType(),
		Model:    req.GetModel(),
		Glossary: req.GetGlossaryConfig().GetGlossary(),
	}
	f, latency, gloss, found := v.begin(call)
	if err := wait(ctx, latency, f); err != nil {
		return nil, status.FromContextError(err).Err()
	}
	if f.Code != codes.OK {
		return nil, faultStatus(f)
	}
	if err := validate(req); err != nil {
		return nil, err
	}
	if call.Glossary != "" && !found {
		return nil, status.Errorf(codes.NotFound, "glossary %s not found", call.Glossary)
	}
	htmlMode := req.GetMimeType() != "text/plain"
	plain := make([]string, len(req.Contents))
	var glossed []string
	if call.Glossary != "" {
		glossed = make([]string, len(req.Contents))
	}
	for i, c := range req.Contents {
		plain[i] = translate(c, htmlMode, nil)
		if glossed != nil {
			glossed[i] = translate(c, htmlMode, gloss)
		}
	}
	v.bill(call)
	resp := &translatepb.TranslateTextResponse{}
	for _, s := range corrupt(f, plain) {
		resp.Translations = append(resp.Translations, &translatepb.Translation{TranslatedText: s, Model: req.GetModel()})
	}
	if glossed != nil {
		for _, s := range corrupt(f, glossed) {
			resp.GlossaryTranslations = append(resp.GlossaryTranslations, &translatepb.Translation{
				TranslatedText: s, Model: req.GetModel(), GlossaryConfig: req.GetGlossaryConfig(),
			})
		}
	}
	return resp, nil
}

func translate(content string, htmlMode bool, gloss map[string]string) string {
	if htmlMode {
		return Pseudo(content, gloss)
	}
	return PseudoText(content)
}

// validate applies Google's request checks.
func validate(req *translatepb.TranslateTextRequest) error {
	if !strings.HasPrefix(req.GetParent(), "projects/") {
		return status.Errorf(codes.InvalidArgument, "invalid parent %q", req.GetParent())
	}
	if req.GetTargetLanguageCode() == "" {
		return status.Error(codes.InvalidArgument, "target language code is required")
	}
	if n := len(req.GetContents()); n == 0 {
		return status.Error(codes.InvalidArgument, "contents are required")
	} else if n > V3MaxContents {
		return status.Errorf(codes.InvalidArgument, "Too many contents: %d, at most %d allowed.", n, V3MaxContents)
	}
	total := 0
	for _, c := range req.GetContents() {
		total += utf8.RuneCountInString(c)
	}
	if total > V3MaxChars {
		return status.Error(codes.InvalidArgument, "Text is too long.")
	}
	if m := req.GetModel(); m != "" && !strings.HasPrefix(m, req.GetParent()+"/models/") {
		return status.Errorf(codes.InvalidArgument, "model %q is not in %s", m, req.GetParent())
	}
	return nil
}

// faultStatus builds the status f asks for, with RetryInfo and ErrorInfo
// details as Google sends them.
func faultStatus(f Fault) error {
	msg := f.Message
	if msg == "" {
		msg = "injected fault: " + f.Code.String()
	}
	st := status.New(f.Code, msg)
	var details []protoadapt.MessageV1
	if f.RetryAfter > 0 {
		details = append(details, &errdetails.RetryInfo{RetryDelay: durationpb.New(f.RetryAfter)})
	}
	if f.Reason != "" {
		details = append(details, &errdetails.ErrorInfo{Reason: f.Reason, Domain: "googleapis.com"})
	}
	if len(details) > 0 {
		if withd, err := st.WithDetails(details...); err == nil {
			st = withd
		}
	}
	return st.Err()
}

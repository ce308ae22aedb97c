package providers

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestIsUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/", nil)
	_, err = http.DefaultClient.Do(req)
	if err == nil {
		t.Fatal("request to a closed port succeeded")
	}
	if !IsUnreachable(err) {
		t.Errorf("IsUnreachable(%v) = false, want true", err)
	}
	if ClassOf(err) != Retryable {
		t.Errorf("ClassOf(%v) = %v, want retryable", err, ClassOf(err))
	}
	if IsUnreachable(errors.New("bad reply")) || IsUnreachable(&Error{Class: Retryable, Status: 503, Err: errors.New("503")}) {
		t.Error("IsUnreachable is true for an error that reached the server")
	}
}

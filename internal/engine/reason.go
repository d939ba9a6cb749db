package engine

import (
	"errors"

	"github.com/sessconf/sessconf/internal/codec"
)

// ReasonName is the stable name of why a presented cookie was not used,
// as logs and observers report it ("" for nil). See session.Event.Reason.
func ReasonName(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrOversize):
		return "oversize"
	case errors.Is(err, codec.ErrTampered):
		return "bad_signature"
	case errors.Is(err, codec.ErrDecode):
		return "bad_encoding"
	case errors.Is(err, ErrFuture):
		return "future_timestamp"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrLifetime):
		return "lifetime"
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, ErrInvalidated):
		return "invalidated"
	case errors.Is(err, ErrRenewed):
		return "renewed"
	}
	return "malformed"
}

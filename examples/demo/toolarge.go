package main

import "github.com/sessconf/sessconf/factory"

// errCookieTooLarge is what the session returns when a change would make
// its cookie larger than browsers keep.
var errCookieTooLarge = factory.ErrCookieTooLarge

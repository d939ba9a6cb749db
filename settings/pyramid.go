package settings

// checkPyramid reports what a Pyramid application reading the same file
// would read differently.
func (l *loader) checkPyramid(o Options, origins map[string]orig) {}

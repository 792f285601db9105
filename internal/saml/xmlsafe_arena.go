package saml

import "github.com/beevik/etree"

// treeArena hands out the nodes of the tree parseSafeXML builds from a few
// large blocks instead of one allocation per element, text, attribute list
// and child list: on the ACS hot path allocations, not parsing, dominated
// the cost. The nodes are ordinary etree values (zero flags, as
// etree.NewElement and CreateText make them); a block is never reused, so
// pointers stay valid for the life of the tree. Blocks double in size, so a
// large hostile document costs O(log n) extra allocations, not more.
type treeArena struct {
	elems []etree.Element
	texts []etree.CharData
	attrs []etree.Attr
	kids  []etree.Token
}

// childSlots is the child-list capacity each element starts with: most
// SAML elements have one to four children; longer lists grow as usual.
const childSlots = 4

func nextBlock(have, need int) int {
	n := 2 * have
	if n < 32 {
		n = 32
	}
	if n < need {
		n = need
	}
	return n
}

// newElement returns an empty element space:tag with room for nAttrs
// attributes and childSlots children.
func (a *treeArena) newElement(space, tag string, nAttrs int) *etree.Element {
	if len(a.elems) == cap(a.elems) {
		a.elems = make([]etree.Element, 0, nextBlock(cap(a.elems), 1))
	}
	a.elems = a.elems[:len(a.elems)+1]
	el := &a.elems[len(a.elems)-1]
	el.Space, el.Tag = space, tag
	el.Attr = carve(&a.attrs, nAttrs)
	el.Child = carve(&a.kids, childSlots)
	return el
}

// addText appends a text node to parent.
func (a *treeArena) addText(parent *etree.Element, text string) {
	if len(a.texts) == cap(a.texts) {
		a.texts = make([]etree.CharData, 0, nextBlock(cap(a.texts), 1))
	}
	a.texts = a.texts[:len(a.texts)+1]
	c := &a.texts[len(a.texts)-1]
	c.Data = text
	parent.AddChild(c)
}

// carve returns an empty slice with capacity n cut from the block; its
// capacity is capped, so appending past n reallocates instead of writing
// into a neighbour's slots.
func carve[T any](block *[]T, n int) []T {
	if n == 0 {
		return nil
	}
	if cap(*block)-len(*block) < n {
		*block = make([]T, 0, nextBlock(cap(*block), n))
	}
	start := len(*block)
	*block = (*block)[:start+n]
	return (*block)[start : start : start+n]
}

/**
 * Pure: a parsed page's tree with its nesting cut to a sane depth, iteratively (never recursing). A hostile page of
 * tens of thousands of nested (or unclosed) elements would otherwise make every later walk of the tree, which
 * recurses, cost quadratic time and then overflow the stack. Below the cut, an element keeps its text and images as
 * flat children; the tags between are dropped.
 */

/** The parts of a DOM node (domhandler's, as cheerio builds it) this module reads and rewires. */
export interface DomNode {
  type: string;
  name?: string;
  parent: DomNode | null;
  prev: DomNode | null;
  next: DomNode | null;
  children?: DomNode[];
}

/** Deeper than any real article page (WeChat's run to about 40), shallow enough for recursive walks. */
export const MAX_DEPTH = 256;

const isElement = (n: DomNode): boolean => n.type === 'tag' || n.type === 'script' || n.type === 'style';

/** The text and image nodes below `node`, in document order, found with an explicit stack. */
function leaves(node: DomNode): DomNode[] {
  const out: DomNode[] = [];
  const stack: DomNode[] = [...(node.children ?? [])].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text' || (n.type === 'tag' && n.name === 'img')) out.push(n);
    else if (isElement(n) && n.type === 'tag')
      for (let i = (n.children?.length ?? 0) - 1; i >= 0; i--) stack.push(n.children![i]!);
  }
  return out;
}

function setChildren(parent: DomNode, children: DomNode[]): void {
  children.forEach((c, i) => {
    c.parent = parent;
    c.prev = children[i - 1] ?? null;
    c.next = children[i + 1] ?? null;
  });
  parent.children = children;
}

/** Cut the tree under `root` to `maxDepth` levels of elements; returns how many elements were at the cut. */
export function cutDepth(root: DomNode, maxDepth = MAX_DEPTH): number {
  let cut = 0;
  const stack: Array<[DomNode, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    for (const child of node.children ?? []) {
      if (!isElement(child) || !child.children?.length) continue;
      if (depth + 1 < maxDepth) stack.push([child, depth + 1]);
      else if (child.children.some(isElement)) {
        setChildren(child, leaves(child));
        cut++;
      }
    }
  }
  return cut;
}

import CloudFormation
/// The closest name to a misspelt one, for "did you mean" hints.
enum RefsSpelling {
    /// The candidate nearest to `name` (optimal string alignment distance, case-insensitive,
    /// so a swapped pair or a wrong case counts as one edit), when it is near enough to be a
    /// likely typo: one edit for names up to 4 characters, two up to 10, three beyond. Ties go
    /// to the earlier candidate, so hints follow source order.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        let limit = target.count <= 4 ? 1 : target.count <= 10 ? 2 : 3
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let other = Array(candidate.lowercased().unicodeScalars)
            guard abs(other.count - target.count) <= limit else { continue }
            let distance = EditDistance.between(target, other, limit: limit, transpositions: true)
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }
}

/// `*` stands for any text; used for names `Fn::ForEach` generates from collections that are
/// not known before deploy (`Topic${Name}` becomes `Topic*`).
enum RefsWildcard {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        Wildcard.matches(pattern, text)
    }

    /// The pattern of a name written with `${…}` or `&{…}` placeholders.
    static func pattern(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if (character == "$" || character == "&"), next < text.endIndex, text[next] == "{",
               let close = text[next...].firstIndex(of: "}") {
                result += "*"
                index = text.index(after: close)
            } else {
                result.append(character)
                index = next
            }
        }
        return result
    }

    /// Whether a name is written with a placeholder, so it is only known after expansion.
    static func isTemplated(_ text: String) -> Bool { text.containsText("${") || text.containsText("&{") }
}

/// A directed graph over numbered nodes, for dependency cycles.
struct RefsDependencyGraph {
    /// The successors of each node, deduplicated, in insertion order.
    private(set) var edges: [[Int]]
    private var edgeSets: [Set<Int>]

    init(nodeCount: Int) {
        edges = Array(repeating: [], count: nodeCount)
        edgeSets = Array(repeating: [], count: nodeCount)
    }

    mutating func addEdge(_ from: Int, _ to: Int) {
        guard edgeSets[from].insert(to).inserted else { return }
        edges[from].append(to)
    }

    /// The strongly connected components (Tarjan's algorithm, iterative so that long chains of
    /// resources cannot exhaust the stack), each listed in discovery order.
    func components() -> [[Int]] {
        let count = edges.count
        var index = [Int](repeating: -1, count: count)
        var lowLink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var result: [[Int]] = []
        var nextIndex = 0
        // Each frame: the node and how many of its successors have been looked at.
        var frames: [(node: Int, next: Int)] = []
        for start in 0..<count where index[start] < 0 {
            frames.append((start, 0))
            index[start] = nextIndex
            lowLink[start] = nextIndex
            nextIndex += 1
            stack.append(start)
            onStack[start] = true
            while let frame = frames.last {
                let node = frame.node
                if frame.next < edges[node].count {
                    let successor = edges[node][frame.next]
                    frames[frames.count - 1].next += 1
                    if index[successor] < 0 {
                        index[successor] = nextIndex
                        lowLink[successor] = nextIndex
                        nextIndex += 1
                        stack.append(successor)
                        onStack[successor] = true
                        frames.append((successor, 0))
                    } else if onStack[successor] {
                        lowLink[node] = min(lowLink[node], index[successor])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last?.node { lowLink[parent] = min(lowLink[parent], lowLink[node]) }
                if lowLink[node] == index[node] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == node { break }
                    }
                    result.append(component.reversed())
                }
            }
        }
        return result
    }

    /// A shortest cycle from `start` back to itself through nodes of `members` (breadth
    /// first), as the list of nodes visited, `start` first and last.
    func cycle(through start: Int, within members: Set<Int>) -> [Int]? {
        var parent: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for successor in edges[node] where members.contains(successor) {
                if successor == start {
                    // Walk back from the node that closes the cycle to `start`.
                    var backwards = [node]
                    var current = node
                    while current != start {
                        guard let previous = parent[current] else { return nil }
                        backwards.append(previous)
                        current = previous
                    }
                    return backwards.reversed() + [start]
                }
                if parent[successor] == nil, successor != start {
                    parent[successor] = node
                    queue.append(successor)
                }
            }
        }
        return nil
    }
}

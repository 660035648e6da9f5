import CYAML

/// Writes a `Node` tree as YAML text through libyaml.
///
/// libyaml keeps CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.Arn`, `!Join [...]`)
/// as they are, but it never quotes by type: whether `yes` or `0755` must be quoted is decided
/// here, with `ImplicitType`, so that every string reads back as the same string under
/// YAML 1.1 (PyYAML, cfn-lint, the AWS CLI) and YAML 1.2.
public enum Emitter {
    /// The YAML text of one document, ending in a newline, no `---` or `...` markers.
    public static func emit(_ document: Node) throws(YAMLError) -> String {
        let session = try LibYAMLEmitter()
        try session.emitStream(document)
        return session.text
    }
}

// MARK: - Scalar style

/// How the emitter writes a scalar of style `.any`; internal so the rule reads in one place.
enum ScalarQuoting: Equatable {
    case plain, singleQuoted, literal, doubleQuoted

    /// Plain when a YAML 1.1 or 1.2 reader reads the text back as the same string and
    /// nothing in it is YAML syntax; otherwise the most readable quoting that carries it.
    init(for text: String) {
        var hasNewline = false
        var hasOtherControl = false
        var spaceBeforeNewline = false
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A:
                hasNewline = true
                if previous == 0x20 { spaceBeforeNewline = true }
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF:
                // Tabs, CR, NEL, the Unicode line separators and the BOM: single quotes would
                // carry them raw (or fold them), which a reader may normalise or trip over.
                hasOtherControl = true
            default:
                break
            }
            previous = scalar.value
        }
        if hasNewline || hasOtherControl {
            // A literal block cannot hold trailing spaces on a line (libyaml refuses, and an
            // editor strips them), nor control characters, which need escapes.
            let trailingSpace = spaceBeforeNewline || previous == 0x20
            self = hasNewline && !hasOtherControl && !trailingSpace ? .literal : .doubleQuoted
        } else if ImplicitType.of(text) != .string || Self.isSyntax(text) {
            self = .singleQuoted
        } else {
            self = .plain
        }
    }

    /// Whether `text` written plain would be read as (or break) YAML syntax, whatever its type.
    private static func isSyntax(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return false }
        switch first {
        case UInt8(ascii: "*"), UInt8(ascii: "&"), UInt8(ascii: "!"), UInt8(ascii: "@"),
             UInt8(ascii: "%"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: ">"),
             UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "{"),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ","),
             UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: " "):
            // Indicators, and a leading space (a reader strips it). `-` covers `- x` and `---`.
            return true
        default:
            break
        }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return true }
        if text.hasPrefix("..."), utf8.count == 3 || utf8.dropFirst(3).first == UInt8(ascii: " ") {
            return true  // the document end marker
        }
        var previous: UInt8 = 0
        for byte in utf8 {
            if (previous == UInt8(ascii: ":") && byte == UInt8(ascii: " "))
                || (previous == UInt8(ascii: " ") && byte == UInt8(ascii: "#")) {
                return true  // `a: b` would be a mapping, `a #b` a comment
            }
            previous = byte
        }
        return false
    }

    var libyamlStyle: yaml_scalar_style_t {
        switch self {
        case .plain: YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .literal: YAML_LITERAL_SCALAR_STYLE
        case .doubleQuoted: YAML_DOUBLE_QUOTED_SCALAR_STYLE
        }
    }
}

extension ScalarStyle {
    /// The style requested from libyaml, which still falls back to a quoted style when the
    /// requested one cannot carry the text in its place (a block scalar inside `[...]`).
    func libyamlStyle(for text: String) -> yaml_scalar_style_t {
        switch self {
        case .any: ScalarQuoting(for: text).libyamlStyle
        case .plain: YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .doubleQuoted: YAML_DOUBLE_QUOTED_SCALAR_STYLE
        case .literal: YAML_LITERAL_SCALAR_STYLE
        case .folded: YAML_FOLDED_SCALAR_STYLE
        }
    }
}

// MARK: - libyaml session

/// Where libyaml's write handler appends; reached through the handler's `data` pointer.
private final class OutputBuffer {
    var bytes: [UInt8] = []
}

/// Owns one `yaml_emitter_t` from `yaml_emitter_initialize` to `yaml_emitter_delete`, so the
/// C state is released on every path, thrown errors included.
private final class LibYAMLEmitter {
    private let emitter: UnsafeMutablePointer<yaml_emitter_t>
    /// Kept alive by this object for as long as libyaml holds an unretained pointer to it.
    private let output = OutputBuffer()

    init() throws(YAMLError) {
        emitter = .allocate(capacity: 1)
        emitter.initialize(to: yaml_emitter_t())
        guard yaml_emitter_initialize(emitter) != 0 else {
            emitter.deinitialize(count: 1)
            emitter.deallocate()
            throw YAMLError(.memory, "libyaml could not initialise an emitter")
        }
        yaml_emitter_set_output(emitter, { data, buffer, size in
            // Returning 0 makes libyaml report a writer error instead of losing bytes.
            guard let data else { return 0 }
            guard size > 0 else { return 1 }
            guard let buffer else { return 0 }
            let output = Unmanaged<OutputBuffer>.fromOpaque(data).takeUnretainedValue()
            output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, Unmanaged.passUnretained(output).toOpaque())
        // Never fold: a folded `!Sub` string is still correct YAML but unreadable in a diff.
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_indent(emitter, 2)
        // Write UTF-8 as is rather than as `\u` escapes.
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
    }

    deinit {
        yaml_emitter_delete(emitter)
        emitter.deinitialize(count: 1)
        emitter.deallocate()
    }

    var text: String { String(decoding: output.bytes, as: UTF8.self) }

    func emitStream(_ document: Node) throws(YAMLError) {
        try emit("stream start") { yaml_stream_start_event_initialize($0, YAML_UTF8_ENCODING) }
        try emit("document start") { yaml_document_start_event_initialize($0, nil, nil, nil, 1) }
        try emit(document)
        try emit("document end") { yaml_document_end_event_initialize($0, 1) }
        try emit("stream end") { yaml_stream_end_event_initialize($0) }
        guard yaml_emitter_flush(emitter) != 0 else { throw emitterError() }
        // libyaml 0.2.5 ends the stream with a `...` line when the last scalar is a
        // keep-chomped block (`|+`), so that a following document could not swallow its
        // trailing blank lines. There is never a following document here, and readers keep
        // those lines at the end of the stream. Nothing else can end the text with a `...`
        // line: libyaml always quotes a `...` scalar and indents block scalar lines.
        let marker = Array("\n...\n".utf8)
        if output.bytes.count > marker.count, output.bytes.suffix(marker.count).elementsEqual(marker) {
            output.bytes.removeLast(marker.count - 1)
        }
    }

    private func emit(_ node: Node) throws(YAMLError) {
        // A tag is written only when the implicit flags say it is not implied.
        let implicit: Int32 = node.tag == nil ? 1 : 0
        switch node.kind {
        case .scalar(let text, let style):
            try scalar(text, style: style.libyamlStyle(for: text), tag: node.tag)
        case .sequence(let items, let style):
            // Empty collections are forced to flow (`[]`, `{}`): libyaml 0.2.5 does so itself for
            // empty block ones, but the output should not hang on that.
            let libyamlStyle = style == .flow || items.isEmpty ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
            try emit("sequence start") { event in
                withYAMLChars(node.tag) { tag in
                    yaml_sequence_start_event_initialize(event, nil, tag, implicit, libyamlStyle)
                }
            }
            for item in items { try emit(item) }
            try emit("sequence end") { yaml_sequence_end_event_initialize($0) }
        case .mapping(let pairs, let style):
            let libyamlStyle = style == .flow || pairs.isEmpty ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE
            try emit("mapping start") { event in
                withYAMLChars(node.tag) { tag in
                    yaml_mapping_start_event_initialize(event, nil, tag, implicit, libyamlStyle)
                }
            }
            for pair in pairs {
                try emit(pair.key)
                try emit(pair.value)
            }
            try emit("mapping end") { yaml_mapping_end_event_initialize($0) }
        }
    }

    private func scalar(_ text: String, style: yaml_scalar_style_t, tag: String?) throws(YAMLError) {
        // Untagged: both flags 1, or libyaml writes a stray `!`. Tagged: both 0, or it drops the tag.
        let implicit: Int32 = tag == nil ? 1 : 0
        var value: [UInt8] = []
        value.reserveCapacity(text.utf8.count + 1)
        value.append(contentsOf: text.utf8)
        let length = value.count
        guard length <= Int(Int32.max) else {
            throw YAMLError(.emitter, "a scalar of \(length) bytes is longer than libyaml can emit")
        }
        // The terminator guarantees a non-nil base address even for the empty string.
        value.append(0)
        try emit("scalar") { event in
            withYAMLChars(tag) { tag in
                value.withUnsafeBufferPointer { value in
                    yaml_scalar_event_initialize(
                        event, nil, tag, value.baseAddress, Int32(length), implicit, implicit, style)
                }
            }
        }
    }

    /// Initialises an event with `initialize` and hands it to libyaml, which owns it from then
    /// on, even when emitting fails (so it is never deleted here).
    private func emit(_ what: String, _ initialize: (UnsafeMutablePointer<yaml_event_t>) -> Int32) throws(YAMLError) {
        var event = yaml_event_t()
        guard initialize(&event) != 0 else {
            // libyaml frees its partial copies itself before returning 0.
            throw YAMLError(.emitter, "libyaml could not create the \(what) event (invalid UTF-8 or out of memory)")
        }
        guard yaml_emitter_emit(emitter, &event) != 0 else { throw emitterError() }
    }

    private func emitterError() -> YAMLError {
        let state = emitter.pointee
        let problem = state.problem.map { String(cString: $0) }
        switch state.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(.memory, problem ?? "libyaml ran out of memory while emitting")
        case YAML_WRITER_ERROR:
            return YAMLError(.emitter, problem ?? "libyaml could not write its output")
        default:
            return YAMLError(.emitter, problem ?? "libyaml's emitter failed (error \(state.error.rawValue))")
        }
    }
}

/// Calls `body` with `string` as a NUL-terminated `yaml_char_t` pointer, or nil for nil.
private func withYAMLChars<R>(_ string: String?, _ body: (UnsafePointer<yaml_char_t>?) -> R) -> R {
    guard let string else { return body(nil) }
    var bytes = Array(string.utf8)
    bytes.append(0)
    return bytes.withUnsafeBufferPointer { body($0.baseAddress) }
}

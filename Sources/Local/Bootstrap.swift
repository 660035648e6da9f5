/// The programs `menort local` runs as workers, one per runtime family: each loads one
/// function's handler the way that family's Lambda managed runtime does, keeps it warm, and
/// speaks `WorkerProtocol` (a request per line on stdin, a reply per line on descriptor 3).
///
/// Why source text in the binary: menort writes a bootstrap to a folder of its own and runs
/// it with the user's `node` or `python3`; nothing is installed, nothing is copied next to the
/// user's code, and menort stays one file. The texts are plain `node:` and standard-library
/// code (Node.js 18+, Python 3.9+), with no packages to fetch.
public enum Bootstrap {
    /// The Node.js worker, an ES module run as `node bootstrap.mjs`.
    ///
    /// It mirrors the runtime interface client of Lambda's `nodejs18.x`–`nodejs22.x` runtimes
    /// (github.com/aws/aws-lambda-nodejs-runtime-interface-client: UserFunction.js, Runtime.js,
    /// CallbackContext.js, InvokeContext.js, LogPatch.js, Errors.js), so a handler behaves here
    /// as deployed:
    /// - `dir/module.fn.nested` is the module `dir/module` (the first dot of the last path
    ///   part; the rest is a property path), tried as Lambda does: extensionless and `.js` via
    ///   `require` unless the nearest package.json says `"type": "module"`, then `.js` (type
    ///   module) and `.mjs` via `import()`, `.cjs` via `require`, then `require.resolve`.
    /// - Load failures keep Lambda's names and messages (`Runtime.ImportModuleError`,
    ///   `Runtime.HandlerNotFound`, `Runtime.UserCodeSyntaxError`,
    ///   `Runtime.MalformedHandlerName`; a module throwing while loading keeps its own error);
    ///   the worker stays up and answers every request with that error, as Lambda answers
    ///   every invoke of a function whose init fails.
    /// - Async handlers and returned promises answer when they settle; any other handler
    ///   answers through `callback`/`context.succeed|fail|done`, after the event loop empties
    ///   unless `context.callbackWaitsForEmptyEventLoop` is false (stdin is unreferenced during
    ///   an invocation, so Node's own `beforeExit` says when), and with `null` if the loop
    ///   empties first (`Runtime.NodeJsExit` for an async handler that never settles).
    /// - `console.*` writes Lambda's text format (`<ISO time>\t<request id>\t<LEVEL>\t<message>`)
    ///   on stdout; the runtime's own reports (load failure, `Invoke Error`) go to stderr, so
    ///   the bootstrap never writes on stdout for itself.
    /// - An uncaught exception or unhandled rejection during an invocation answers it (the
    ///   latter as `Runtime.UnhandledPromiseRejection`) and ends the process with Lambda's
    ///   status (129, 128): Lambda resets the environment then.
    public static let node: String = #"""
    // menort's Node.js worker: loads one Lambda handler the way Lambda's Node.js runtime does
    // (aws-lambda-nodejs-runtime-interface-client) and answers menort's line protocol:
    // requests on stdin, replies on MENORT_RESULT_FD (3); stdout and stderr are the handler's.
    import fs from 'node:fs';
    import path from 'node:path';
    import util from 'node:util';
    import { createRequire } from 'node:module';
    import { createInterface } from 'node:readline';
    import { pathToFileURL } from 'node:url';

    const require = createRequire(import.meta.url);
    const env = process.env;
    const handlerString = env.MENORT_HANDLER ?? '';
    const appRoot = path.resolve(env.MENORT_CODE_DIR ?? process.cwd());
    const resultFd = Number(env.MENORT_RESULT_FD ?? 3);
    delete env.MENORT_HANDLER;
    delete env.MENORT_CODE_DIR;
    delete env.MENORT_RESULT_FD;
    env.LAMBDA_TASK_ROOT ??= appRoot;
    env._HANDLER ??= handlerString;
    process.chdir(appRoot);

    // Lambda's error classes: the name is `Runtime.<class>`.
    class RuntimeError extends Error {}
    const runtimeError = (name, message) => {
      const error = new RuntimeError(message);
      error.name = `Runtime.${name}`;
      Error.captureStackTrace(error, runtimeError);
      return error;
    };
    const NODE_JS_EXIT_MESSAGE =
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes';

    // Logging: Lambda's text format, `<ISO time>\t<request id>\t<LEVEL>\t<message>`, on stdout.
    const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
    globalThis[REQUEST_ID] = undefined;
    const logLine = (level, message, params) =>
      `${new Date().toISOString()}\t${globalThis[REQUEST_ID]}\t${level}\t${util.format(message, ...params)}\n`;
    // AWS_LAMBDA_LOG_LEVEL (the function's ApplicationLogLevel) silences the levels below it.
    const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
    const lowest = Math.max(0, LEVELS.indexOf(env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()));
    for (const [method, level] of [
      ['trace', 'TRACE'], ['debug', 'DEBUG'], ['info', 'INFO'], ['log', 'INFO'],
      ['warn', 'WARN'], ['error', 'ERROR'], ['fatal', 'FATAL'],
    ]) {
      console[method] = LEVELS.indexOf(level) < lowest && level !== 'FATAL'
        ? () => {}
        : (message, ...params) => { process.stdout.write(logLine(level, message, params)); };
    }
    // The runtime's own reports (load failures, invocation errors) go to stderr, same format.
    const withEnumerableProperties = (value) => {
      if (!(value instanceof Error)) return value;
      const copy = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
      if (typeof value.stack === 'string') copy.stack = value.stack.split('\n');
      return copy;
    };
    const reportError = (title, error) => {
      let formatted;
      try {
        formatted = JSON.stringify(error, (_key, value) => withEnumerableProperties(value));
      } catch {
        formatted = JSON.stringify(errorReply(error));
      }
      try { process.stderr.write(logLine('ERROR', title, ['\t' + formatted])); } catch {}
    };

    // An error as Lambda reports it (Errors.toRapidResponse), with stackTrace for trace.
    const isErrorLike = (value) =>
      value && typeof value.name === 'string' && value.name && typeof value.message === 'string' &&
      value.message && typeof value.stack === 'string' && value.stack;
    function errorReply(error) {
      try {
        if (util.types.isNativeError(error) || isErrorLike(error)) {
          return {
            errorType: error.name || error.constructor?.name || 'Error',
            errorMessage: String(error.message ?? ''),
            stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
          };
        }
        return { errorType: typeof error, errorMessage: error.toString(), stackTrace: [] };
      } catch {
        return {
          errorType: 'handled',
          errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
          stackTrace: [],
        };
      }
    }

    // Replies: one line each on the result descriptor, written synchronously (a full pipe
    // in non-blocking mode answers EAGAIN: wait a millisecond and write the rest).
    const pause = new Int32Array(new SharedArrayBuffer(4));
    function writeReply(text) {
      const bytes = Buffer.from(text + '\n', 'utf8');
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += fs.writeSync(resultFd, bytes, offset, bytes.length - offset);
        } catch (error) {
          if (error.code !== 'EAGAIN') throw error;
          Atomics.wait(pause, 0, 0, 1);
        }
      }
    }
    function sendResult(requestId, result) {
      let json;
      try {
        json = JSON.stringify(result === undefined ? null : result);
      } catch {
        const error = new Error('Unable to stringify response body');
        reportError('Invoke Error', error);
        sendError(requestId, error);
        return;
      }
      writeReply(`{"requestId":${JSON.stringify(requestId)},"result":${json ?? 'null'}}`);
    }
    function sendError(requestId, error) {
      writeReply(JSON.stringify({ requestId, error: errorReply(error) }));
    }

    // Loading, as UserFunction.js: `dir/module.nested.fn` → dir/module(.js|.mjs|.cjs), export nested.fn.
    const hasTypeModule = (folder) => {
      if (folder.endsWith('/node_modules')) return false;
      const file = path.join(folder, 'package.json');
      if (fs.existsSync(file)) {
        try {
          const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
          if (pkg) return pkg.type === 'module';
        } catch (error) {
          console.warn(`${file} cannot be read, it will be ignored for ES module detection purposes.`, error);
          return false;
        }
      }
      if (folder === path.dirname(folder)) return false;
      return hasTypeModule(path.dirname(folder));
    };
    const tryRequire = (file) => (fs.existsSync(file) ? require(file) : undefined);
    const tryImport = async (file) => (fs.existsSync(file) ? await import(pathToFileURL(file).href) : undefined);
    async function loadModule(moduleRoot, moduleName) {
      const base = path.resolve(appRoot, moduleRoot, moduleName);
      const extensionless = tryRequire(base);
      if (extensionless) return extensionless;
      const typeModule = hasTypeModule(path.dirname(base));
      if (!typeModule) {
        const commonJS = tryRequire(base + '.js');
        if (commonJS) return commonJS;
      }
      const loaded =
        (typeModule && (await tryImport(base + '.js'))) ||
        (await tryImport(base + '.mjs')) ||
        tryRequire(base + '.cjs');
      if (loaded) return loaded;
      return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
    }
    async function loadHandler(fullHandlerString) {
      if (fullHandlerString.includes('..')) {
        throw runtimeError('MalformedHandlerName',
          `'${fullHandlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
      }
      const handlerPart = path.basename(fullHandlerString);
      const moduleRoot = fullHandlerString.substring(0, fullHandlerString.indexOf(handlerPart));
      const match = handlerPart.match(/^([^.]*)\.(.*)$/);
      if (!match) throw runtimeError('MalformedHandlerName', 'Bad handler');
      const [, moduleName, functionPath] = match;
      let app;
      try {
        app = await loadModule(moduleRoot, moduleName);
      } catch (error) {
        if (error instanceof SyntaxError) {
          const wrapped = runtimeError('UserCodeSyntaxError', String(error));
          wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${error.stack}`;
          throw wrapped;
        }
        if (error?.code === 'MODULE_NOT_FOUND') throw runtimeError('ImportModuleError', String(error));
        throw error;
      }
      const handler = functionPath.split('.').reduce((nested, key) => nested && nested[key], app);
      if (!handler) throw runtimeError('HandlerNotFound', `${fullHandlerString} is undefined or not exported`);
      if (typeof handler !== 'function') throw runtimeError('HandlerNotFound', `${fullHandlerString} is not a function`);
      return handler;
    }

    // State: the loaded handler (or why it failed), requests waiting, the one in flight.
    let handler;
    let loadError;
    let loaded = false;
    let isAsync = false;
    let started = false; // a request has been taken: process-level errors no longer count as load errors
    let current; // { requestId, replied }
    let stdinClosed = false;
    const queue = [];
    let beforeExit = () => {};
    process.on('beforeExit', () => beforeExit());

    const holdStdin = (hold) => {
      if (hold) process.stdin.ref?.();
      else process.stdin.unref?.();
    };

    function finish() {
      current = undefined;
      beforeExit = () => {};
      holdStdin(true);
      if (stdinClosed && queue.length === 0) process.exit(0);
      setImmediate(pump);
    }

    function pump() {
      if (!loaded || current || queue.length === 0) return;
      const line = queue.shift();
      let request;
      try {
        request = JSON.parse(line);
        if (!request || typeof request !== 'object' || typeof request.requestId !== 'string') throw new Error('no requestId');
      } catch (error) {
        const id = /"requestId"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '';
        writeReply(JSON.stringify({ requestId: id, error: { errorType: 'Runtime.UnmarshalError', errorMessage: `Unable to unmarshal input: ${error.message}`, stackTrace: [] } }));
        setImmediate(pump);
        return;
      }
      started = true;
      invoke(request);
    }

    // One invocation, as Runtime.js and CallbackContext.js run it.
    function invoke(request) {
      const requestId = request.requestId;
      const invocation = { requestId, replied: false };
      current = invocation;
      globalThis[REQUEST_ID] = requestId;
      holdStdin(false); // the event loop may now run dry: that is how "wait for an empty event loop" ends

      const reply = (send) => {
        if (invocation.replied || current !== invocation) return;
        invocation.replied = true;
        send();
        finish();
      };
      if (loadError !== undefined) {
        reply(() => sendError(requestId, loadError));
        return;
      }

      const postError = (error) => {
        reportError('Invoke Error', error instanceof Error ? error : new Error(String(error)));
        reply(() => sendError(requestId, error));
      };
      let completed = false;
      const complete = (result) => {
        if (completed) {
          console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
          return;
        }
        completed = true;
        reply(() => sendResult(requestId, result));
      };
      let waitForEmptyEventLoop = true;
      const callback = (error, result) => {
        beforeExit = () => {};
        if (error !== undefined && error !== null) postError(error);
        else if (!waitForEmptyEventLoop) complete(result);
        else beforeExit = () => { beforeExit = () => {}; setImmediate(() => complete(result)); };
      };
      const done = (error, result) => {
        beforeExit = () => {};
        if (error !== undefined && error !== null) postError(error);
        else complete(result);
      };
      let finished = false;
      const once = (fn) => (...args) => {
        if (!finished) {
          fn(...args);
          finished = true;
        }
      };
      const deadline = Number(request.deadlineMs);
      const context = {
        get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
        set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
        succeed: once((result) => done(null, result)),
        fail: once((error) => (error === undefined || error === null ? done('handled') : done(error, null))),
        done: once(done),
        functionVersion: request.functionVersion,
        functionName: request.functionName,
        memoryLimitInMB: request.memoryLimitInMB === undefined ? undefined : String(request.memoryLimitInMB),
        logGroupName: request.logGroupName,
        logStreamName: request.logStreamName,
        clientContext: undefined,
        identity: undefined,
        invokedFunctionArn: request.invokedFunctionArn,
        awsRequestId: requestId,
        getRemainingTimeInMillis: () => deadline - Date.now(),
      };
      // Nothing left to run and no answer: an async handler's promise never settled (an
      // error), any other handler just ended (null), as Lambda's default beforeExit listener.
      beforeExit = () => {
        beforeExit = () => {};
        completed = true;
        if (isAsync) {
          const error = runtimeError('NodeJsExit', NODE_JS_EXIT_MESSAGE);
          reportError('Invoke Error', error);
          reply(() => sendError(requestId, error));
        } else {
          reply(() => sendResult(requestId, null));
        }
      };
      try {
        const result = handler(request.event, context, once(callback));
        if (result && typeof result.then === 'function') {
          result.then(context.succeed, context.fail).catch(context.fail);
        }
      } catch (error) {
        once(callback)(error);
      }
    }

    // Process-level failures: answer the request in flight, then end the process (Lambda
    // resets the environment: exit 129 for an uncaught exception, 128 for a rejection).
    // Before the first request they are part of loading: every request gets them.
    function processFailure(error, title, exitCode) {
      reportError(title, error);
      if (!started) {
        loadError ??= error;
        return;
      }
      if (current && !current.replied) {
        current.replied = true;
        try { sendError(current.requestId, error); } catch {}
      }
      process.exit(exitCode);
    }
    process.on('uncaughtException', (error) => processFailure(error, 'Uncaught Exception', 129));
    process.on('unhandledRejection', (reason) => {
      const error = runtimeError('UnhandledPromiseRejection', reason === undefined ? '' : String(reason));
      if (reason instanceof Error && typeof reason.stack === 'string') {
        // The reason's frames say where it was rejected (Lambda's own trace only shows the runtime's).
        const frames = reason.stack.split('\n').filter((line) => /^\s+at /.test(line));
        error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
      }
      error.reason = reason;
      processFailure(error, 'Unhandled Promise Rejection', 128);
    });

    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      queue.push(line);
      pump();
    });
    lines.on('close', () => {
      stdinClosed = true;
      if (loaded && !current && queue.length === 0) process.exit(0);
    });

    try {
      handler = await loadHandler(handlerString);
      isAsync = handler.constructor?.name === 'AsyncFunction';
    } catch (error) {
      loadError ??= error;
      reportError('Uncaught Exception', error);
    }
    loaded = true;
    if (stdinClosed && queue.length === 0) process.exit(0);
    pump();
    """#

    /// The Python worker, run as `python3 bootstrap.py`.
    ///
    /// It mirrors `awslambdaric/bootstrap.py`, `lambda_context.py` and
    /// `lambda_runtime_marshaller.py` of Lambda's Python runtime interface client
    /// (github.com/aws/aws-lambda-python-runtime-interface-client), so a handler behaves here
    /// as deployed:
    /// - `app.handler` is `importlib.import_module("app")` with the code folder as `sys.path[0]`
    ///   and working directory (Lambda's /var/task); the last dot separates the function, and
    ///   `/` in the module part becomes `.` (`handlers/chat.send` = `handlers.chat.send`).
    /// - Load failures keep Lambda's names and messages (`Runtime.ImportModuleError` for any
    ///   `ImportError`, `Runtime.UserCodeSyntaxError`, `Runtime.HandlerNotFound`,
    ///   `Runtime.MalformedHandlerName`, `Runtime.BuiltInModuleConflict`; another exception
    ///   raised while importing keeps its class name); every request is answered with it.
    /// - Exceptions answer `errorType` = class name, `errorMessage` = `str(e)`, `stackTrace` =
    ///   `traceback.format_list` without the bootstrap's frames; results are JSON as the RIC
    ///   writes them (a `Decimal` as its number), anything else is `Runtime.MarshalError`.
    /// - stdout and stderr flush on every write (the RIC's `Unbuffered`), so `print()` reaches
    ///   the log at once; the root logger writes `[LEVEL]\t<UTC time>\t<request id>\t<message>`
    ///   on stdout at Python's default level (WARNING) unless `AWS_LAMBDA_LOG_LEVEL` says
    ///   otherwise; the runtime's own `[ERROR]` reports go to stderr.
    /// - No `__pycache__` is written into the user's folder (/var/task is read-only in Lambda).
    public static let python: String = #"""
    # menort's Python worker: loads one Lambda handler the way Lambda's Python runtime does
    # (aws-lambda-python-runtime-interface-client, awslambdaric/bootstrap.py) and answers
    # menort's line protocol: requests on stdin, replies on MENORT_RESULT_FD (3); stdout and
    # stderr are the handler's.
    import decimal
    import importlib
    import json
    import logging
    import os
    import re
    import select
    import sys
    import time
    import traceback
    import uuid

    _HANDLER = os.environ.pop("MENORT_HANDLER", "")
    _CODE_DIR = os.path.abspath(os.environ.pop("MENORT_CODE_DIR", os.getcwd()))
    _RESULT_FD = int(os.environ.pop("MENORT_RESULT_FD", "3"))
    _BOOTSTRAP_FILE = os.path.abspath(__file__)
    os.environ.setdefault("LAMBDA_TASK_ROOT", _CODE_DIR)
    os.environ.setdefault("_HANDLER", _HANDLER)
    os.chdir(_CODE_DIR)
    # The code folder comes first on the import path, as /var/task does in Lambda (where
    # python3 would have put this script's folder).
    sys.path[0] = _CODE_DIR
    # Lambda's /var/task is read-only: no __pycache__ folders appear in the project either.
    sys.dont_write_bytecode = True
    for _fd in (0, _RESULT_FD):
        try:
            os.set_blocking(_fd, True)
        except OSError:
            pass
    try:
        # Programs the handler starts must not hold the reply pipe open after this worker ends.
        os.set_inheritable(_RESULT_FD, False)
    except OSError:
        pass
    _REQUESTS = sys.stdin.buffer


    class FaultException(Exception):
        MARSHAL_ERROR = "Runtime.MarshalError"
        UNMARSHAL_ERROR = "Runtime.UnmarshalError"
        USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
        HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
        IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
        BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
        MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"

        def __init__(self, exception_type, msg, trace=None):
            super().__init__(msg)
            self.msg = msg
            self.exception_type = exception_type
            self.trace = trace


    class Unbuffered(object):
        """Flushes after every write, so print() reaches the log at once (as the RIC's)."""

        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, exc_type, exc_value, exc_tb):
            pass

        def __getattr__(self, attr):
            return getattr(self.stream, attr)

        def write(self, msg):
            self.stream.write(msg)
            self.stream.flush()

        def writelines(self, msgs):
            self.stream.writelines(msgs)
            self.stream.flush()


    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)

    _REQUEST_ID = None


    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            sys.stdout.write(self.format(record))


    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _REQUEST_ID or ""
            record.tenant_id = None
            return True


    def _setup_logging():
        logging.Formatter.converter = time.gmtime
        logger = logging.getLogger()
        handler = LambdaLoggerHandler()
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                "%Y-%m-%dT%H:%M:%S",
            )
        )
        level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
        if level in logging._nameToLevel:
            logger.setLevel(level)
        handler.addFilter(LambdaLoggerFilter())
        logger.addHandler(handler)


    def _get_handler(handler):
        try:
            modname, fname = handler.rsplit(".", 1)
        except ValueError as e:
            raise FaultException(
                FaultException.MALFORMED_HANDLER_NAME,
                "Bad handler '{}': {}".format(handler, str(e)),
            )
        try:
            if modname.split(".")[0] in sys.builtin_module_names:
                raise FaultException(
                    FaultException.BUILT_IN_MODULE_CONFLICT,
                    "Cannot use built-in module {} as a handler module".format(modname),
                )
            m = importlib.import_module(modname.replace("/", "."))
        except ImportError as e:
            raise FaultException(
                FaultException.IMPORT_MODULE_ERROR,
                "Unable to import module '{}': {}".format(modname, str(e)),
            )
        except SyntaxError as e:
            trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
            raise FaultException(
                FaultException.USER_CODE_SYNTAX_ERROR,
                "Syntax error in module '{}': {}".format(modname, str(e)),
                trace,
            )
        try:
            request_handler = getattr(m, fname)
        except AttributeError:
            raise FaultException(
                FaultException.HANDLER_NOT_FOUND,
                "Handler '{}' missing on module '{}'".format(fname, modname),
                None,
            )
        return request_handler


    def make_error(error_message, error_type, stack_trace):
        return {
            "errorMessage": error_message if error_message else "",
            "errorType": error_type if error_type else "",
            "stackTrace": stack_trace if stack_trace else [],
        }


    def _user_frames(tb):
        """The traceback without this bootstrap's own leading frames."""
        frames = [
            (frame.filename, frame.lineno, frame.name, frame.line)
            for frame in traceback.extract_tb(tb)
        ]
        for i in range(len(frames)):
            if os.path.abspath(frames[i][0]) != _BOOTSTRAP_FILE:
                return frames[i:]
        return frames


    def build_fault_result(exc_info):
        etype, value, tb = exc_info
        return make_error(str(value), etype.__name__, traceback.format_list(_user_frames(tb)))


    def log_error(error_result):
        """Lambda's `[ERROR] Type: message` report with the traceback, on stderr."""
        description = "[ERROR]"
        if error_result.get("errorType"):
            description += " " + error_result["errorType"]
        if error_result.get("errorMessage"):
            if error_result.get("errorType"):
                description += ":"
            description += " " + error_result["errorMessage"]
        lines = [description]
        stack_trace = error_result.get("stackTrace")
        if stack_trace is not None:
            lines.append("Traceback (most recent call last):")
            for element in stack_trace:
                lines.extend(element.splitlines() if element else [""])
        try:
            sys.stderr.write("\n".join(lines) + "\n")
        except Exception:
            pass


    class LambdaContext(object):
        def __init__(self, request):
            self.aws_request_id = request.get("requestId")
            self.log_group_name = request.get("logGroupName")
            self.log_stream_name = request.get("logStreamName")
            self.function_name = request.get("functionName")
            memory = request.get("memoryLimitInMB")
            self.memory_limit_in_mb = None if memory is None else str(memory)
            self.function_version = request.get("functionVersion")
            self.invoked_function_arn = request.get("invokedFunctionArn")
            self.tenant_id = None
            self.client_context = None
            self.identity = CognitoIdentity()
            self._epoch_deadline_time_in_ms = int(request.get("deadlineMs") or 0)

        def get_remaining_time_in_millis(self):
            epoch_now_in_ms = int(time.time() * 1000)
            delta_ms = self._epoch_deadline_time_in_ms - epoch_now_in_ms
            return delta_ms if delta_ms > 0 else 0

        def log(self, msg):
            sys.stdout.write(str(msg))

        def __repr__(self):
            return (
                "LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},"
                "function_name={},memory_limit_in_mb={},function_version={},"
                "invoked_function_arn={},client_context={},identity={},tenant_id={}])"
            ).format(
                self.aws_request_id, self.log_group_name, self.log_stream_name,
                self.function_name, self.memory_limit_in_mb, self.function_version,
                self.invoked_function_arn, self.client_context, self.identity, self.tenant_id,
            )


    class CognitoIdentity(object):
        __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

        def __init__(self):
            self.cognito_identity_id = None
            self.cognito_identity_pool_id = None

        def __repr__(self):
            return "CognitoIdentity([cognito_identity_id={},cognito_identity_pool_id={}])".format(
                self.cognito_identity_id, self.cognito_identity_pool_id
            )


    # Results as the RIC marshals them: JSON, with Decimal written as the number it holds.
    # (The RIC's simplejson writes Decimals raw; the standard json module cannot, so each
    # Decimal leaves a unique placeholder string that is replaced by its digits afterwards.)
    _DECIMAL_MARK = "menort-decimal-" + uuid.uuid4().hex + "-"
    _DECIMAL_PLACEHOLDER = re.compile('"' + _DECIMAL_MARK + '([0-9]+)"')


    class _Encoder(json.JSONEncoder):
        def __init__(self):
            super().__init__(allow_nan=False)
            self.decimals = []

        def default(self, o):
            if isinstance(o, decimal.Decimal):
                if not o.is_finite():
                    raise ValueError("Out of range float values are not JSON compliant")
                self.decimals.append(str(o))
                return _DECIMAL_MARK + str(len(self.decimals) - 1)
            return super().default(o)


    def _to_json(value):
        encoder = _Encoder()
        text = encoder.encode(value)
        if encoder.decimals:
            text = _DECIMAL_PLACEHOLDER.sub(lambda m: encoder.decimals[int(m.group(1))], text)
        return text


    def marshal_response(response):
        if isinstance(response, (bytes, bytearray)):
            # Lambda passes bytes through as the payload; a reply carries JSON.
            try:
                return json.dumps(json.loads(bytes(response).decode("utf-8")), allow_nan=False)
            except Exception as e:
                raise FaultException(
                    FaultException.MARSHAL_ERROR,
                    "Unable to marshal response: bytes that are not JSON text ({})".format(str(e)),
                    None,
                )
        try:
            return _to_json(response)
        except Exception as e:
            raise FaultException(
                FaultException.MARSHAL_ERROR,
                "Unable to marshal response: {}".format(str(e)),
                None,
            )


    def _write_reply(text):
        data = memoryview((text + "\n").encode("utf-8"))
        while data:
            try:
                written = os.write(_RESULT_FD, data)
            except BlockingIOError:
                select.select([], [_RESULT_FD], [])
                continue
            data = data[written:]


    def _send_result(request_id, result_json):
        _write_reply('{"requestId":%s,"result":%s}' % (json.dumps(request_id), result_json))


    def _send_error(request_id, error_result):
        _write_reply(json.dumps({"requestId": request_id, "error": error_result}))


    def handle_event_request(request_handler, request):
        global _REQUEST_ID
        request_id = request["requestId"]
        _REQUEST_ID = request_id
        error_result = None
        try:
            lambda_context = LambdaContext(request)
            response = request_handler(request.get("event"), lambda_context)
            result = marshal_response(response)
        except FaultException as e:
            error_result = make_error(e.msg, e.exception_type, e.trace)
        except Exception:
            error_result = build_fault_result(sys.exc_info())
        if error_result is not None:
            log_error(error_result)
            _send_error(request_id, error_result)
        else:
            _send_result(request_id, result)


    _REQUEST_ID_PATTERN = re.compile(r'"requestId"\s*:\s*"((?:[^"\\]|\\.)*)"')


    def main():
        global _REQUEST_ID
        _setup_logging()
        request_handler = None
        init_error = None
        try:
            request_handler = _get_handler(_HANDLER)
        except FaultException as e:
            init_error = make_error(e.msg, e.exception_type, e.trace)
        except Exception:
            init_error = build_fault_result(sys.exc_info())
        if init_error is not None:
            log_error(init_error)

        while True:
            line = _REQUESTS.readline()
            if not line:
                return 0
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict) or not isinstance(request.get("requestId"), str):
                    raise ValueError("no requestId")
            except Exception as e:
                found = _REQUEST_ID_PATTERN.search(line.decode("utf-8", "replace"))
                _send_error(
                    found.group(1) if found else "",
                    make_error("Unable to unmarshal input: {}".format(str(e)), FaultException.UNMARSHAL_ERROR, None),
                )
                continue
            if init_error is not None:
                _REQUEST_ID = request["requestId"]
                _send_error(request["requestId"], init_error)
                continue
            handle_event_request(request_handler, request)


    if __name__ == "__main__":
        status = main()
        # Leave at once, as Lambda ends an environment: threads the handler left running do
        # not hold the worker.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(status)
    """#
}

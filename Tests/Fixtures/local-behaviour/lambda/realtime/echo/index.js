// echo (two-way, CommonJS, callback style): the message's text back, and a counter that
// shows the worker stayed warm. `version` is rewritten by the code-change test.
const version = "v1";
let calls = 0;
exports.handler = (event, context, callback) => {
  calls += 1;
  const body = JSON.parse(event.body);
  callback(null, { statusCode: 200, body: JSON.stringify({ text: body.text, calls, version, requestId: context.awsRequestId }) });
};

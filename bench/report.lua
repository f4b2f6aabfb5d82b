-- wrk's figures as one JSON line, read by bench/run.py. Latencies in microseconds;
-- "status" counts answers outside 2xx/3xx, the others are socket errors.
-- Paths given after `--` are requested in turn (a map visit: the page, then its
-- GeoJSON); without them, the URL wrk was given.
local paths, turn = {}, 0

init = function(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
end

request = function()
  if #paths == 0 then
    return wrk.format()
  end
  turn = turn % #paths + 1
  return wrk.format(nil, paths[turn])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "status": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end

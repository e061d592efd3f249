-- Neovim 0.7 LSP probe: open a file with a language server, wait for diagnostics, request and apply a code action, write JSON.
-- Driven by runNvim.mjs through env PANOS_GUARD_NVIM_CONFIG (a JSON file): { cmd, rootDir, file, resultFile,
-- timeoutMs, diagnostic = { source?, code?, messageIncludes? }, fixTitle? }.

local cfg = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('PANOS_GUARD_NVIM_CONFIG')), '\n'))
local result = { steps = {} }
local t0 = vim.loop.hrtime()

local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end
local function step(name) table.insert(result.steps, { name = name, ms = ms() }) end

local server_exit -- set by on_exit: a server that dies fails the probe at once instead of at the deadline

-- Every wait has a deadline: an error here ends in `cq` instead of a hung nvim.
local function wait_for(what, fn)
  local done = vim.wait(cfg.timeoutMs, function() return server_exit ~= nil or fn() end, 20)
  if server_exit ~= nil and not fn() then
    error(('language server exited (code %s, signal %s) while waiting for %s; its stderr is in %s')
      :format(server_exit.code, server_exit.signal, what, vim.lsp.get_log_path()), 0)
  end
  if not done then error('timed out waiting for ' .. what, 0) end
end

local function matches(d)
  local want = cfg.diagnostic or {}
  return (want.source == nil or d.source == want.source)
    and (want.code == nil or tostring(d.code) == want.code)
    and (want.messageIncludes == nil or (d.message or ''):find(want.messageIncludes, 1, true) ~= nil)
end

-- vim.diagnostic columns are byte offsets; the server speaks UTF-16, so convert with the line's text.
local function utf16_col(buf, lnum, byte_col)
  local line = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1] or ''
  local _, utf16 = vim.str_utfindex(line, math.min(byte_col, #line))
  return utf16
end

-- 0.7 keeps only some LSP fields in user_data.lsp: rebuild the range, message and severity so that `data`
-- (which the server needs to compute its fix) travels back with the codeAction request.
local function to_lsp(buf, d)
  local lsp = vim.deepcopy((d.user_data and d.user_data.lsp) or {})
  lsp.range = {
    start = { line = d.lnum, character = utf16_col(buf, d.lnum, d.col) },
    ['end'] = { line = d.end_lnum, character = utf16_col(buf, d.end_lnum, d.end_col) },
  }
  lsp.message, lsp.source, lsp.code = d.message, d.source, d.code
  lsp.severity = d.severity -- vim.diagnostic.severity numbers equal the LSP ones (1 = Error .. 4 = Hint)
  return lsp
end

local function snapshot(buf)
  return vim.tbl_map(function(d)
    return { line = d.lnum + 1, col = d.col + 1, message = d.message, source = d.source, code = d.code, severity = d.severity }
  end, vim.diagnostic.get(buf))
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'probe', cmd = cfg.cmd, root_dir = cfg.rootDir,
    on_exit = function(code, signal) server_exit = { code = code, signal = signal } end,
  })
  if not client_id then error('vim.lsp.start_client failed for ' .. table.concat(cfg.cmd, ' '), 0) end
  vim.cmd('edit ' .. vim.fn.fnameescape(cfg.file))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  local client
  wait_for('the server to initialize', function()
    client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized
  end)
  step('initialized')

  local target
  wait_for('a matching diagnostic', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if matches(d) then target = d return true end
    end
    return false
  end)
  step('diagnostics')
  result.diagnostics = snapshot(buf)

  local lsp_diag = to_lsp(buf, target)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  }
  local resp, req_err = client.request_sync('textDocument/codeAction', params, cfg.timeoutMs, buf)
  if not resp then error('codeAction request failed: ' .. tostring(req_err), 0) end
  if resp.err then error('codeAction error: ' .. vim.inspect(resp.err), 0) end
  local actions = resp.result or {}
  result.actionTitles = vim.tbl_map(function(a) return a.title end, actions)
  step('codeAction')
  if not cfg.fixTitle then return end

  local action
  for _, a in ipairs(actions) do if a.title == cfg.fixTitle then action = a end end
  if not action then error('no code action titled ' .. cfg.fixTitle, 0) end
  if not action.edit and (client.server_capabilities.codeActionProvider or {}).resolveProvider then
    local r = client.request_sync('codeAction/resolve', action, cfg.timeoutMs, buf)
    action = (r and r.result) or action
  end
  if not action.edit then error('code action has no edit: ' .. vim.inspect(action), 0) end
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
  result.textAfter = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  step('applied')

  -- The edit reaches the server as didChange; wait for it to republish without the fixed diagnostic.
  local line, col = target.lnum, target.col
  wait_for('the fixed diagnostic to disappear', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if matches(d) and d.lnum == line and d.col == col then return false end
    end
    return true
  end)
  result.diagnosticsAfter = snapshot(buf)
  step('republished')
  -- Stopping here would fire on_exit for a clean shutdown; the driver kills the process group afterwards anyway.
end)

result.ok = ok
if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, cfg.resultFile)
if ok then vim.cmd('qa!') else vim.cmd('cq') end

-- nvim_test.lua - Neovim's built-in LSP client against `edict lsp`, headless.
--
-- Run by nvim_test.sh: EDICT (the command), EDICT_VIM (editors/vim) and
-- EDICT_RULES (a scratch copy of tests/lsp/rules whose grant.edict has a
-- misspelt fact) come from the environment.  Opens the file with the error,
-- reads its diagnostic, hovers, jumps to a definition in another file,
-- fixes the error and formats; any failure quits with status 1.
local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
  io.stdout:write('ok - ' .. msg .. '\n')
end

vim.opt.runtimepath:prepend(os.getenv('EDICT_VIM'))
vim.cmd('filetype plugin on')
vim.cmd('runtime! ftdetect/edict.vim') -- detection started before the path had editors/vim
vim.cmd('syntax on')
require('edict').setup({ cmd = { os.getenv('EDICT'), 'lsp' } })

local rules = os.getenv('EDICT_RULES')
vim.cmd('edit ' .. rules .. '/grant.edict')
local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'edict', 'the filetype is edict')
check(vim.b[buf].current_syntax == 'edict', 'the syntax file is loaded')

local attached = vim.wait(10000, function()
  return #vim.lsp.buf_get_clients(buf) > 0
end, 50)
check(attached, 'the buffer is attached to edict lsp')
local client = vim.lsp.buf_get_clients(buf)[next(vim.lsp.buf_get_clients(buf))]

-- the diagnostic of the misspelt fact
local got = vim.wait(10000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
check(got, 'a diagnostic arrives')
local d = vim.diagnostic.get(buf)[1]
check(d.message:find("unknown fact 'firm.export_shar'", 1, true) ~= nil, 'it says: ' .. d.message)
check(d.lnum == 15 and d.col == 40, 'it is at line 16, column 41')

local function at(line, ch)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = ch } }
end

local function request(method, params)
  local res = vim.lsp.buf_request_sync(buf, method, params, 10000)
  for _, r in pairs(res or {}) do
    if r.result then
      return r.result
    end
  end
  return nil
end

-- hover on priority_share: its dated values and sources
local h = request('textDocument/hover', at(15, 67))
local text = h and (h.contents.value or h.contents) or ''
check(text:find('from 2026-07-01', 1, true) ~= nil, 'hover shows the dated values')
check(text:find('the rule of 2025', 1, true) ~= nil, 'hover shows the sources')

-- go to the definition of firm, in facts.edict
local def = request('textDocument/definition', at(15, 41))
check(def ~= nil, 'a definition is found')
if vim.lsp.util.jump_to_location(def[1] or def, client.offset_encoding or 'utf-16') == false then
  fail('the jump failed')
end
check(vim.api.nvim_buf_get_name(0):match('facts%.edict$') ~= nil, 'the jump opens facts.edict')
check(vim.api.nvim_win_get_cursor(0)[1] == 8, "the cursor is on the fact firm (line 8)")

-- back to grant.edict: fix the error, spoil the layout, format
vim.cmd('buffer ' .. buf)
local line = vim.api.nvim_buf_get_lines(buf, 15, 16, false)[1]
vim.api.nvim_buf_set_lines(buf, 15, 16, false, { (line:gsub('export_shar ', 'export_share ')) })
vim.api.nvim_buf_set_lines(buf, 21, 22, false, { '      default   capped(firm.request)' })
local clean = vim.wait(10000, function()
  return #vim.diagnostic.get(buf) == 0
end, 50)
check(clean, 'the diagnostic goes once the name is fixed')
if vim.lsp.buf.format then
  vim.lsp.buf.format({ bufnr = buf, timeout_ms = 10000 })
else
  vim.lsp.buf.formatting_sync(nil, 10000)
end
check(vim.api.nvim_buf_get_lines(buf, 21, 22, false)[1] == '  default capped(firm.request)', 'formatting lays the line out')

vim.cmd('qall!')

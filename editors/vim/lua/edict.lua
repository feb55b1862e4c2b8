-- edict.lua - Neovim's built-in LSP client for Edict rule files.
--
--   require('edict').setup()                        -- `edict lsp` from PATH
--   require('edict').setup({ cmd = { '/opt/edict/bin/edict', 'lsp' } })
--
-- Every buffer of filetype edict is attached to an `edict lsp` server, one
-- per directory.  Works with Neovim 0.7 (vim.lsp.start_client) and later
-- (vim.lsp.start).
local M = {}

local clients = {} -- Neovim 0.7: directory -> client id

local function config(bufnr, opts)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local root = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  return {
    name = 'edict',
    cmd = opts.cmd or { 'edict', 'lsp' },
    root_dir = root,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
end

-- Attach the buffer to a server for its directory; returns the client id.
function M.start(bufnr, opts)
  opts = opts or {}
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local cfg = config(bufnr, opts)
  if vim.lsp.start then
    return vim.lsp.start(cfg, { bufnr = bufnr })
  end
  local id = clients[cfg.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(cfg)
    clients[cfg.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

function M.setup(opts)
  opts = opts or {}
  local group = vim.api.nvim_create_augroup('edict_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'edict',
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
end

return M

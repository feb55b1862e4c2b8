" Edict rule files
autocmd BufRead,BufNewFile *.edict setfiletype edict

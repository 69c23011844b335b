; Entered in flat 32-bit protected mode at CPL 0. Turns paging on with 0x400000 aliasing the
; physical page of 'target', runs 'target', patches its immediate through the alias (a write to
; a page holding decoded code, through a different linear address whose TLB write entry existed
; before the page held code) and runs it again.
bits 32
org 0x1000
start:
    mov esp, 0x8000
    mov edi, 0x11000
    mov eax, 0x003
    mov ecx, 1024
fill:
    stosd
    add eax, 0x1000
    loop fill
    mov dword [0x10000], 0x11003
    mov dword [0x10004], 0x12003
    mov dword [0x12000], 0x3003
    mov eax, 0x10000
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov byte [0x400800], 0xCC   ; a write through the alias before the page holds decoded code
    call target
    mov [0x600], eax
    mov byte [0x400000 + (target - $$) - 0x2000 + 1], 2
    call target
    mov [0x604], eax
    mov eax, [0x12000]
    mov [0x608], eax
    hlt
    times 0x2000 - ($ - $$) db 0xCC
target:
    mov eax, 1
    ret

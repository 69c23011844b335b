; Test guest: prints what the boot loader handed over: EAX, the multiboot_info flags, mem_lower,
; mem_upper, the command line and the memory map. Flat multiboot image; build: nasm -f bin mbinfo.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010002

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"

entry:
        mov     esp, stack_top
        mov     ebp, ebx
        PRINTHEX s_eax, eax
        mov     ecx, [ebp]
        PRINTHEX s_flags, ecx
        NEWLINE
        test    ecx, 1
        jz      .nomem
        PRINTHEX s_lower, [ebp + 4]
        PRINTHEX s_upper, [ebp + 8]
        NEWLINE
.nomem: test    ecx, 4
        jz      .nocmd
        PRINT   s_cmdline
        PRINT   dword [ebp + 16]
        PRINT   s_quote
.nocmd: test    ecx, 64
        jz      .done
        mov     esi, [ebp + 48]         ; mmap_addr
        mov     edi, esi
        add     edi, [ebp + 44]         ; + mmap_length
.entry: cmp     esi, edi
        jae     .done
        PRINT   s_mmap
        mov     eax, [esi + 8]
        call    print_hex
        mov     eax, [esi + 4]
        call    print_hex
        PRINT   s_len
        mov     eax, [esi + 16]
        call    print_hex
        mov     eax, [esi + 12]
        call    print_hex
        PRINT   s_type
        mov     eax, [esi + 20]
        call    print_hex
        NEWLINE
        add     esi, [esi]
        add     esi, 4
        jmp     .entry
.done:  PRINT   s_done
        EXIT    0

s_eax:   db "eax=", 0
s_flags: db "flags=", 0
s_lower: db "mem_lower=", 0
s_upper: db "mem_upper=", 0
s_cmdline: db "cmdline=", 34, 0
s_quote: db 34, 10, 0
s_mmap:  db "mmap ", 0
s_len:   db " +", 0
s_type:  db " type ", 0
s_done:  db "done", 10, 0
        align 4
image_end:
        absolute image_end
        alignb  16
        resb    4096
stack_top:
bss_end:

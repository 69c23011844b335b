; Start-up code of the compiled C benchmarks on a bare machine: a multiboot v1 header (an ELF
; kernel, so no address fields), a 1 MiB stack, rt_start(magic, info) and the exit device with
; its return value. QEMU's isa-debug-exit and kasou both end with status (v << 1) | 1.
        bits 32
        section .multiboot
        align 4
MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

        section .text
        global  _start
        extern  rt_start
_start:
        mov     esp, stack_top
        cld
        push    ebx                     ; the multiboot information
        push    eax                     ; 0x2BADB002 from a multiboot loader
        call    rt_start
        out     0xF4, al
        cli
.halt:  hlt
        jmp     .halt

        section .bss
        alignb  16
        resb    1 << 20
stack_top:
